//! Policies built at run time from a `cors-rules` configuration, for the unit and property tests
//! (the `#[cors]` expansion builds the same data at compile time).

use cors_rules::config::{self, Config, Methods as Checked};
use cors_rules::table::{Case, layout};
use http::HeaderValue;

use crate::build::{keep, keep_str, origins};
use crate::headers::Headers;
use crate::methods::Methods;
use crate::table::Table;
use crate::{Handler, Policy};

fn value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).expect("checked by cors-rules")
}

/// The handler every test policy is applied for.
pub(crate) static HANDLER: Handler = Handler {
    name: "handler",
    file: file!(),
    line: line!(),
    policy_name: None,
};

/// Builds the policy `config` describes, kept for `'static`.
///
/// # Panics
/// When `config` is invalid: tests only build valid policies.
pub(crate) fn policy(config: &Config<'_>) -> &'static Policy {
    let valid = config::validate(config).unwrap_or_else(|problems| panic!("{problems:?}"));
    let checked_origins = valid.origins.expect("tests list their origins");
    let methods = match valid.methods {
        Checked::Any => Methods::Any,
        Checked::List(list) => Methods::List(keep(list.into_iter().map(keep_str).collect())),
    };
    let names: Vec<&'static str> = valid.headers.names.into_iter().map(keep_str).collect();
    Box::leak(Box::new(Policy {
        origins: origins(checked_origins),
        credentials: valid.credentials,
        methods,
        allow_methods: value(&valid.allow_methods),
        headers: Headers {
            any: valid.headers.any,
            names: Table {
                slots: keep(layout(&names, Case::Insensitive)),
                entries: keep(names),
                case: Case::Insensitive,
            },
        },
        allow_headers: valid.allow_headers.as_deref().map(value),
        expose_headers: valid.expose_headers.as_deref().map(value),
        max_age: valid.max_age.map(|seconds| value(&seconds.to_string())),
    }))
}
