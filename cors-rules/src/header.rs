//! Header names a policy allows in requests (`headers`) or exposes in responses (`expose`).

use crate::token::{TOKEN_CHARS, is_token};

/// Request headers scripts can never set (fetch `#forbidden-request-header`), lowercase.
const FORBIDDEN_REQUEST: [&str; 21] = [
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

/// Prefixes of forbidden request header names.
const FORBIDDEN_REQUEST_PREFIXES: [&str; 2] = ["proxy-", "sec-"];

/// Response headers scripts can never read (fetch `#forbidden-response-header-name`).
const FORBIDDEN_RESPONSE: [&str; 2] = ["set-cookie", "set-cookie2"];

/// The one header that `Access-Control-Allow-Headers: *` does not cover (fetch
/// `#cors-non-wildcard-request-header-name`).
pub const NON_WILDCARD_REQUEST: &str = "authorization";

/// Whether scripts can never set the request header `name`, whatever its case (fetch
/// `#forbidden-request-header`, by name alone: the `X-HTTP-Method-Override` family, forbidden only
/// for some values, is left to the caller).
#[must_use]
pub fn is_forbidden_request(name: &str) -> bool {
    FORBIDDEN_REQUEST
        .iter()
        .any(|forbidden| forbidden.eq_ignore_ascii_case(name))
        || FORBIDDEN_REQUEST_PREFIXES.iter().any(|prefix| {
            name.get(..prefix.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
        })
}

/// Whether scripts can never read the response header `name`, whatever its case (fetch
/// `#forbidden-response-header-name`).
#[must_use]
pub fn is_forbidden_response(name: &str) -> bool {
    FORBIDDEN_RESPONSE
        .iter()
        .any(|forbidden| forbidden.eq_ignore_ascii_case(name))
}

/// Checks one name of `headers` and returns it in lower case.
///
/// # Errors
/// A message in rustc's voice when `name` is not a token or is a forbidden request header.
pub fn check_request(name: &str) -> Result<String, String> {
    let lower = check_token(name)?;
    if FORBIDDEN_REQUEST.contains(&lower.as_str()) {
        return Err(format!(
            "`{name}` is a forbidden request header: browsers never let scripts set it, so allowing it does nothing; remove it"
        ));
    }
    if let Some(prefix) = FORBIDDEN_REQUEST_PREFIXES
        .iter()
        .find(|prefix| lower.starts_with(*prefix))
    {
        return Err(format!(
            "`{name}` is a forbidden request header: browsers set `{prefix}*` headers themselves and never let scripts do it; remove it"
        ));
    }
    Ok(lower)
}

/// Checks one name of `expose` and returns it in lower case.
///
/// # Errors
/// A message in rustc's voice when `name` is not a token or can never be exposed.
pub fn check_exposed(name: &str) -> Result<String, String> {
    let lower = check_token(name)?;
    if is_forbidden_response(&lower) {
        return Err(format!(
            "`{name}` can never be read by scripts: browsers filter it out of every response; remove it"
        ));
    }
    Ok(lower)
}

fn check_token(name: &str) -> Result<String, String> {
    if name.contains('*') {
        return Err(format!(
            "`{name}` is not a pattern: header names cannot hold a wildcard, only `\"*\"` alone means every name; list each name"
        ));
    }
    if is_token(name) {
        Ok(name.to_ascii_lowercase())
    } else {
        Err(format!(
            "`{name}` is not a valid header name; a header name is a token of {TOKEN_CHARS}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lowercased() {
        assert_eq!(check_request("X-Api-Key").as_deref(), Ok("x-api-key"));
        assert_eq!(check_exposed("X-Request-Id").as_deref(), Ok("x-request-id"));
    }

    #[test]
    fn forbidden_and_invalid_names_are_refused() {
        for (name, needle) in [
            ("Cookie", "forbidden request header"),
            ("host", "forbidden request header"),
            ("origin", "forbidden request header"),
            ("sec-fetch-mode", "`sec-*`"),
            ("Proxy-Authorization", "`proxy-*`"),
            ("x api", "not a valid header name"),
            ("", "not a valid header name"),
        ] {
            let message = check_request(name).expect_err(name);
            assert!(message.contains(needle), "{name}: {message}");
        }
        assert!(check_request("x-*").unwrap_err().contains("not a pattern"));
        assert!(check_exposed("Set-Cookie").is_err());
        assert!(check_exposed("x:y").is_err());
    }

    #[test]
    fn forbidden_names_are_recognised_in_any_case() {
        for name in [
            "Cookie",
            "HOST",
            "sec-fetch-site",
            "Proxy-Authorization",
            "Sec-",
        ] {
            assert!(is_forbidden_request(name), "{name}");
        }
        for name in ["x-api-key", "authorization", "secret", "proxy", "cookies"] {
            assert!(!is_forbidden_request(name), "{name}");
        }
        assert!(is_forbidden_response("Set-Cookie2"));
        assert!(!is_forbidden_response("x-request-id"));
    }
}
