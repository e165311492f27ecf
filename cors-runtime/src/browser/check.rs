//! The CORS check of an answer (fetch `#cors-check`), on preflights and actual requests alike.

use http::header::{ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN};
use http::{HeaderMap, Uri};

use super::blocked::{Failure, Reason};
use super::list;

/// Checks that `headers` let a page of `origin` read the answer, with credentials when `include`.
///
/// # Errors
/// The first failure, in the order Chromium reports them.
pub(crate) fn cors(headers: &HeaderMap, origin: &[u8], include: bool) -> Result<(), Failure> {
    let Some(allowed) = list::get(headers, &ACCESS_CONTROL_ALLOW_ORIGIN) else {
        return Err(Failure::new(Reason::NoAllowOrigin, b""));
    };
    // `*` is honoured only without credentials (fetch #cors-check, step 3)
    if allowed == b"*" {
        return if include {
            Err(Failure::new(Reason::WildcardOriginWithCredentials, b"*"))
        } else {
            Ok(())
        };
    }
    if allowed != origin {
        return Err(Failure::new(mismatch(&allowed), &allowed));
    }
    if !include {
        return Ok(());
    }
    // exactly `true`, byte for byte (fetch #cors-check, step 7)
    match list::get(headers, &ACCESS_CONTROL_ALLOW_CREDENTIALS) {
        Some(credentials) if credentials == b"true" => Ok(()),
        credentials => Err(Failure::new(
            Reason::AllowCredentialsNotTrue,
            credentials.as_deref().unwrap_or_default(),
        )),
    }
}

/// Why an `Access-Control-Allow-Origin` that is not the page's origin fails, as Chromium tells.
fn mismatch(allowed: &[u8]) -> Reason {
    if allowed.iter().any(|&byte| byte == b',' || byte == b' ') {
        return Reason::MultipleAllowOrigin;
    }
    let is_origin = allowed == b"null"
        || Uri::try_from(allowed).is_ok_and(|uri| uri.scheme().is_some() && uri.host().is_some());
    if is_origin {
        Reason::AllowOriginMismatch
    } else {
        Reason::InvalidAllowOrigin
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    const PAGE: &[u8] = b"https://app.example.com";

    fn answer(pairs: &[(&http::HeaderName, &'static [u8])]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            let value = HeaderValue::from_bytes(value).expect("test values are valid");
            headers.append(*name, value);
        }
        headers
    }

    fn reason(pairs: &[(&http::HeaderName, &'static [u8])], include: bool) -> Option<Reason> {
        cors(&answer(pairs), PAGE, include)
            .err()
            .map(|failure| failure.reason)
    }

    const ACAO: &http::HeaderName = &ACCESS_CONTROL_ALLOW_ORIGIN;
    const ACAC: &http::HeaderName = &ACCESS_CONTROL_ALLOW_CREDENTIALS;

    #[test]
    fn the_page_origin_byte_for_byte_passes_and_nothing_else_does() {
        assert_eq!(reason(&[(ACAO, PAGE)], false), None);
        assert_eq!(reason(&[], false), Some(Reason::NoAllowOrigin));
        for other in [
            &b"https://APP.example.com"[..],
            b"https://app.example.com/",
            b"https://app.example.com:443",
            b"http://app.example.com",
            b"null",
        ] {
            assert_eq!(
                reason(&[(ACAO, other)], false),
                Some(Reason::AllowOriginMismatch),
                "{}",
                String::from_utf8_lossy(other)
            );
        }
    }

    #[test]
    fn several_origins_and_non_origins_fail_with_their_own_reason() {
        assert_eq!(
            reason(&[(ACAO, PAGE), (ACAO, PAGE)], false),
            Some(Reason::MultipleAllowOrigin)
        );
        assert_eq!(
            reason(
                &[(ACAO, b"https://app.example.com,https://b.example.com")],
                false
            ),
            Some(Reason::MultipleAllowOrigin)
        );
        for invalid in [&b"app.example.com"[..], b"", b"\xff\xfe"] {
            assert_eq!(
                reason(&[(ACAO, invalid)], false),
                Some(Reason::InvalidAllowOrigin)
            );
        }
    }

    #[test]
    fn a_wildcard_passes_only_without_credentials() {
        assert_eq!(reason(&[(ACAO, b"*")], false), None);
        assert_eq!(
            reason(&[(ACAO, b"*"), (ACAC, b"true")], true),
            Some(Reason::WildcardOriginWithCredentials)
        );
    }

    #[test]
    fn credentials_need_allow_credentials_exactly_true() {
        assert_eq!(reason(&[(ACAO, PAGE), (ACAC, b"true")], true), None);
        for value in [&b"True"[..], b"true ", b"1", b""] {
            assert_eq!(
                reason(&[(ACAO, PAGE), (ACAC, value)], true),
                Some(Reason::AllowCredentialsNotTrue)
            );
        }
        assert_eq!(
            reason(&[(ACAO, PAGE), (ACAC, b"true"), (ACAC, b"true")], true),
            Some(Reason::AllowCredentialsNotTrue)
        );
        let missing = cors(&answer(&[(ACAO, PAGE)]), PAGE, true).unwrap_err();
        assert_eq!(
            (missing.reason, missing.detail.as_str()),
            (Reason::AllowCredentialsNotTrue, "")
        );
        assert_eq!(reason(&[(ACAO, PAGE)], false), None);
    }
}
