//! Origins known only at startup (`origins = env("NAME")`), turned into the same tables
//! `#[cors]` writes out at compile time, from the values `cors-rules` checked.

use cors_rules::config::Origins as Checked;
use http::HeaderValue;

use crate::origin::AllowedOrigins;

/// The runtime form of checked origins.
pub(crate) fn origins(checked: Checked) -> AllowedOrigins {
    let Checked::List { exact, patterns } = checked else {
        return AllowedOrigins::ANY;
    };
    // `cors-rules` accepts only visible ASCII, which every header value may hold
    let exact = exact
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    AllowedOrigins::owned(exact, patterns)
}
