//! Method names a policy grants.

use crate::token::{TOKEN_CHARS, is_token};

/// The methods a policy grants when `methods` is left out: the CORS-safelisted ones.
pub const DEFAULT: [&str; 3] = ["GET", "HEAD", "POST"];

/// Methods that scripts can never send (fetch `#forbidden-method`), compared case-insensitively.
const FORBIDDEN: [&str; 3] = ["CONNECT", "TRACE", "TRACK"];

/// Methods whose name browsers upper-case before sending (fetch `#concept-method-normalize`),
/// and `PATCH`, which they send as written but servers route only in upper case.
const STANDARD: [&str; 7] = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

/// Whether scripts can never send the method `name`, whatever its case (fetch `#forbidden-method`).
#[must_use]
pub fn is_forbidden(name: &str) -> bool {
    FORBIDDEN
        .iter()
        .any(|forbidden| forbidden.eq_ignore_ascii_case(name))
}

/// The method browsers send for `name` (fetch `#concept-method-normalize`): the standard methods
/// but `PATCH` in upper case, any other as written (`fetch(url, {method: "patch"})` sends `patch`).
#[must_use]
pub fn normalize(name: &str) -> &str {
    STANDARD
        .iter()
        .find(|standard| **standard != "PATCH" && standard.eq_ignore_ascii_case(name))
        .map_or(name, |standard| standard)
}

/// Checks one method name of `methods`.
///
/// # Errors
/// A message in rustc's voice when `name` is not a token, is forbidden, or is a standard method
/// not in upper case.
///
/// `OPTIONS` is a method like any other here: listing it lets scripts send their own `OPTIONS`
/// requests, whose preflights name it; preflights themselves are answered by the layer whatever
/// the list.
pub fn check(name: &str) -> Result<(), String> {
    if name.contains('*') {
        return Err(format!(
            "`{name}` is not a pattern: a method name cannot hold a wildcard, only `\"*\"` alone means every method; list each method"
        ));
    }
    if !is_token(name) {
        return Err(format!(
            "`{name}` is not a valid method name; a method is a token of {TOKEN_CHARS}"
        ));
    }
    let upper = name.to_ascii_uppercase();
    if is_forbidden(name) {
        return Err(format!(
            "`{name}` is a forbidden method: browsers never let scripts send it; remove it"
        ));
    }
    if name != upper && STANDARD.contains(&upper.as_str()) {
        return Err(format!(
            "method names are case-sensitive and `{name}` would never match the `{upper}` that clients send and axum routes; write `{upper}`"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_case_and_extension_methods_pass() {
        for name in ["GET", "PATCH", "DELETE", "OPTIONS", "PROPFIND", "purge"] {
            assert_eq!(check(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn invalid_forbidden_and_misspelt_methods_are_refused() {
        for (name, needle) in [
            ("GE T", "not a valid method name"),
            ("P*", "not a pattern"),
            ("", "not a valid method name"),
            ("CONNECT", "forbidden method"),
            ("trace", "forbidden method"),
            ("TRACK", "forbidden method"),
            ("options", "write `OPTIONS`"),
            ("patch", "write `PATCH`"),
            ("Get", "write `GET`"),
        ] {
            let message = check(name).expect_err(name);
            assert!(message.contains(needle), "{name}: {message}");
        }
    }

    #[test]
    fn browsers_upper_case_the_standard_methods_but_patch() {
        for (written, sent) in [
            ("get", "GET"),
            ("Delete", "DELETE"),
            ("options", "OPTIONS"),
            ("patch", "patch"),
            ("PATCH", "PATCH"),
            ("propfind", "propfind"),
        ] {
            assert_eq!(normalize(written), sent, "{written}");
        }
        assert!(is_forbidden("Trace") && is_forbidden("CONNECT") && !is_forbidden("PUT"));
    }
}
