//! Policies built at run time from a `cors-rules` configuration, for the unit and property tests,
//! through the same builder as every policy.

use cors_rules::config::{self, Config, Methods as Checked, Origins};
use cors_rules::table::{Case, layout};
use http::HeaderValue;

use crate::origin::AllowedOrigins;
use crate::policy::Rules;
use crate::{Handler, Policy};

/// The handler every test policy is applied for.
pub(crate) static HANDLER: Handler = Handler::new("handler", file!(), line!(), "");

fn keep<T>(items: Vec<T>) -> &'static [T] {
    Vec::leak(items)
}

fn keep_str(text: String) -> &'static str {
    String::leak(text)
}

/// Builds the policy `config` describes, kept for `'static`.
///
/// # Panics
/// When `config` is invalid: tests only build valid policies.
pub(crate) fn policy(config: &Config<'_>) -> &'static Policy {
    let valid = config::validate(config).unwrap_or_else(|problems| panic!("{problems:?}"));
    let origins = match valid.origins.expect("tests list their origins") {
        Origins::Any => AllowedOrigins::ANY,
        // laid out as `#[cors]` writes a list out
        Origins::List { exact, patterns } => {
            let slots = keep(layout(&exact, Case::Sensitive));
            let values = exact.iter().map(|origin| {
                HeaderValue::from_str(origin).expect("checked origins are visible ASCII")
            });
            AllowedOrigins::listed(keep(values.collect()), slots, keep(patterns))
        }
    };
    let methods = match valid.methods {
        Checked::Any => vec!["*"],
        Checked::List(list) => list.into_iter().map(keep_str).collect(),
    };
    let slots = keep(layout(&valid.headers.names, Case::Insensitive));
    let star = valid.headers.any.then(|| "*".to_owned());
    let names = star.into_iter().chain(valid.headers.names).map(keep_str);
    let rules = Rules::new(
        valid.credentials,
        keep(methods),
        keep_str(valid.allow_methods),
        keep(names.collect()),
        slots,
        keep_str(valid.allow_headers.unwrap_or_default()),
        keep(valid.expose.into_iter().map(keep_str).collect()),
        keep_str(valid.expose_headers.unwrap_or_default()),
        keep_str(
            valid
                .max_age
                .map(|seconds| seconds.to_string())
                .unwrap_or_default(),
        ),
    );
    let rules = if valid.csrf { rules.with_csrf() } else { rules };
    Box::leak(Box::new(Policy::new(origins, rules)))
}
