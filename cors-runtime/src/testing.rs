//! Policies built at run time from a `cors-rules` configuration, for the unit and property tests
//! (the `#[cors]` expansion builds the same data at compile time).

use cors_rules::origin::{HostPattern, OriginPattern, PortPattern};
use cors_rules::policy::{self, Config, Methods as ValidMethods, Origins as ValidOrigins};
use cors_rules::table::{Case, layout};
use http::HeaderValue;

use crate::Policy;
use crate::headers::Headers;
use crate::methods::Methods;
use crate::origin::{Host, Origins, Pattern, Port};
use crate::table::Table;

fn leak<T>(items: Vec<T>) -> &'static [T] {
    Vec::leak(items)
}

fn leak_str(text: String) -> &'static str {
    String::leak(text)
}

fn value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).expect("checked by cors-rules")
}

/// Builds the policy `config` describes, leaked for `'static`.
///
/// # Panics
/// When `config` is invalid: tests only build valid policies.
pub(crate) fn policy(config: &Config<'_>) -> &'static Policy {
    let valid = policy::validate(config).unwrap_or_else(|problems| panic!("{problems:?}"));
    let origins = match valid.origins {
        ValidOrigins::Any => Origins::Any,
        ValidOrigins::List { exact, patterns } => Origins::List {
            exact: Table {
                slots: leak(layout(&exact, Case::Sensitive)),
                entries: leak(exact.iter().map(|origin| value(origin)).collect()),
                case: Case::Sensitive,
            },
            patterns: leak(patterns.into_iter().map(pattern).collect()),
        },
    };
    let methods = match valid.methods {
        ValidMethods::Any => Methods::Any,
        ValidMethods::List(list) => Methods::List(leak(list.into_iter().map(leak_str).collect())),
    };
    let names: Vec<&'static str> = valid.headers.names.into_iter().map(leak_str).collect();
    Box::leak(Box::new(Policy {
        origins,
        credentials: valid.credentials,
        methods,
        allow_methods: value(&valid.allow_methods),
        headers: Headers {
            any: valid.headers.any,
            names: Table {
                slots: leak(layout(&names, Case::Insensitive)),
                entries: leak(names),
                case: Case::Insensitive,
            },
        },
        allow_headers: valid.allow_headers.as_deref().map(value),
        expose_headers: valid.expose_headers.as_deref().map(value),
        max_age: valid.max_age.map(|seconds| value(&seconds.to_string())),
        vary_origin: valid.vary_origin,
        handler: "handler",
        file: file!(),
        line: line!(),
    }))
}

fn pattern(pattern: OriginPattern) -> Pattern {
    Pattern {
        scheme: pattern.scheme,
        host: match pattern.host {
            HostPattern::Exact(host) => Host::Exact(leak_str(host)),
            HostPattern::Subdomains(domain) => Host::Subdomains(leak_str(format!(".{domain}"))),
        },
        port: match pattern.port {
            PortPattern::Default => Port::Default,
            PortPattern::Exact(port) => Port::Exact(leak_str(port.to_string())),
            PortPattern::Any => Port::Any,
        },
    }
}
