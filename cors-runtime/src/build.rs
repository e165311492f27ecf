//! Policies built at startup from checked `cors-rules` values, for origins that are only known
//! then (`origins = env("NAME")`). Built once and kept for the life of the process.

use cors_rules::config::Origins as Checked;
use cors_rules::origin::{HostPattern, OriginPattern, PortPattern};
use cors_rules::table::{Case, layout};
use http::HeaderValue;

use crate::origin::{Host, Origins, Pattern, Port};
use crate::table::Table;

/// Keeps `items` for the life of the process: a policy is built once, at startup.
pub(crate) fn keep<T>(items: Vec<T>) -> &'static [T] {
    Vec::leak(items)
}

/// Keeps `text` for the life of the process.
pub(crate) fn keep_str(text: String) -> &'static str {
    String::leak(text)
}

/// The runtime form of checked origins: the same table and patterns `#[cors]` writes out at
/// compile time.
pub(crate) fn origins(checked: Checked) -> Origins {
    let Checked::List { exact, patterns } = checked else {
        return Origins::Any;
    };
    // laid out from the values themselves, so slots and entries always agree
    let values: Vec<HeaderValue> = exact
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    Origins::List {
        exact: Table {
            slots: keep(layout(&values, Case::Sensitive)),
            entries: keep(values),
            case: Case::Sensitive,
        },
        patterns: keep(patterns.into_iter().map(pattern).collect()),
    }
}

fn pattern(pattern: OriginPattern) -> Pattern {
    Pattern {
        scheme: pattern.scheme,
        host: match pattern.host {
            HostPattern::Exact(host) => Host::Exact(keep_str(host.into_owned())),
            HostPattern::Subdomains(domain) => Host::Subdomains(keep_str(format!(".{domain}"))),
        },
        port: match pattern.port {
            PortPattern::Default => Port::Default,
            PortPattern::Exact(port) => Port::Exact(keep_str(port.to_string())),
            PortPattern::Any => Port::Any,
        },
    }
}
