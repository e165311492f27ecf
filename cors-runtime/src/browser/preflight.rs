//! The preflight (fetch `#cors-preflight-fetch`): the `OPTIONS` request engines send before a
//! call that is not simple, and the checks its answer must pass.

use std::time::Duration;

use cors_rules::header::NON_WILDCARD_REQUEST;
use http::header::{
    ACCEPT, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN,
};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode, Uri};

use super::blocked::{Failure, Reason};
use super::cache::Granted;
use super::{check, list, request};

/// How long the model keeps a preflight's answer at most: Chromium's cap, two hours (Firefox
/// keeps one a day, `WebKit` ten minutes).
pub const MAX_AGE_CAP: Duration = Duration::from_hours(2);

/// How long a preflight's answer is kept without `Access-Control-Max-Age`, or with one that is
/// not a number.
const DEFAULT_MAX_AGE: Duration = Duration::from_secs(5);

/// The preflight of a call to `uri` with `method` and these CORS-unsafe header names: `OPTIONS`
/// with `Accept: */*`, `Origin`, `Access-Control-Request-Method` and, when any,
/// `Access-Control-Request-Headers` joined by `,` without spaces; never credentials.
pub(crate) fn request<B: Default>(
    uri: &Uri,
    origin: &HeaderValue,
    method: &Method,
    names: &[HeaderName],
) -> Request<B> {
    let mut preflight = Request::new(B::default());
    *preflight.method_mut() = Method::OPTIONS;
    uri.clone_into(preflight.uri_mut());
    let headers = preflight.headers_mut();
    headers.insert(ACCEPT, HeaderValue::from_static("*/*"));
    headers.insert(ORIGIN, origin.clone());
    if let Ok(method) = HeaderValue::from_str(method.as_str()) {
        headers.insert(ACCESS_CONTROL_REQUEST_METHOD, method);
    }
    if !names.is_empty() {
        let joined: Vec<&str> = names.iter().map(HeaderName::as_str).collect();
        if let Ok(value) = HeaderValue::from_str(&joined.join(",")) {
            headers.insert(ACCESS_CONTROL_REQUEST_HEADERS, value);
        }
    }
    preflight
}

/// Checks a preflight's answer for a call from `origin` with `method` and these CORS-unsafe
/// header names, with credentials when `include`, and says what it grants for the cache.
///
/// # Errors
/// The first failure, in the order Chromium reports them: a redirect, the CORS check, a status
/// that is not ok, then the methods and the header names.
pub(crate) fn check(
    status: StatusCode,
    headers: &HeaderMap,
    origin: &[u8],
    include: bool,
    method: &Method,
    names: &[HeaderName],
) -> Result<Granted, Failure> {
    if status.is_redirection() {
        return Err(Failure::new(Reason::PreflightRedirect, b""));
    }
    check::cors(headers, origin, include)?;
    if !status.is_success() {
        return Err(Failure::new(Reason::PreflightNotOk, b""));
    }
    let methods = list::tokens(headers, &ACCESS_CONTROL_ALLOW_METHODS)
        .ok_or_else(|| Failure::new(Reason::InvalidAllowMethods, b""))?;
    let allowed = list::tokens(headers, &ACCESS_CONTROL_ALLOW_HEADERS)
        .ok_or_else(|| Failure::new(Reason::InvalidAllowHeaders, b""))?;
    // methods compare byte for byte; `*` only without credentials (fetch #cors-preflight-fetch, step 7.5)
    let star = |items: &[&str]| !include && items.contains(&"*");
    if !request::is_safelisted_method(method)
        && !methods.contains(&method.as_str())
        && !star(&methods)
    {
        return Err(Failure::new(
            Reason::MethodNotAllowed,
            method.as_str().as_bytes(),
        ));
    }
    // `*` never covers `authorization` (fetch #cors-non-wildcard-request-header-name)
    let listed = |name: &HeaderName| {
        allowed
            .iter()
            .any(|item| item.eq_ignore_ascii_case(name.as_str()))
    };
    if let Some(refused) = names
        .iter()
        .find(|name| !listed(name) && (name.as_str() == NON_WILDCARD_REQUEST || !star(&allowed)))
    {
        return Err(Failure::new(
            Reason::HeaderNotAllowed,
            refused.as_str().as_bytes(),
        ));
    }
    Ok(Granted {
        methods: methods.into_iter().map(str::to_owned).collect(),
        headers: allowed.into_iter().map(str::to_owned).collect(),
        max_age: max_age(headers).min(MAX_AGE_CAP),
    })
}

/// `Access-Control-Max-Age` in seconds: one line of digits, else the default.
fn max_age(headers: &HeaderMap) -> Duration {
    let mut lines = headers.get_all(ACCESS_CONTROL_MAX_AGE).iter();
    match (lines.next(), lines.next()) {
        (Some(line), None)
            if !line.is_empty() && line.as_bytes().iter().all(u8::is_ascii_digit) =>
        {
            let seconds = line.as_bytes().iter().fold(0_u64, |seconds, &digit| {
                seconds
                    .saturating_mul(10)
                    .saturating_add(u64::from(digit - b'0'))
            });
            Duration::from_secs(seconds)
        }
        _ => DEFAULT_MAX_AGE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::{ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN};

    const PAGE: &str = "http://localhost:3000";

    fn answer(pairs: &[(&HeaderName, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static(PAGE));
        headers.insert(
            ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_static(value));
        }
        headers
    }

    fn names(names: &[&'static str]) -> Vec<HeaderName> {
        names
            .iter()
            .map(|name| HeaderName::from_static(name))
            .collect()
    }

    fn verdict(
        headers: &HeaderMap,
        include: bool,
        method: &str,
        unsafe_names: &[&'static str],
    ) -> Result<Granted, Reason> {
        let method = Method::from_bytes(method.as_bytes()).expect("a method");
        check(
            StatusCode::NO_CONTENT,
            headers,
            PAGE.as_bytes(),
            include,
            &method,
            &names(unsafe_names),
        )
        .map_err(|failure| failure.reason)
    }

    #[test]
    fn the_preflight_asks_as_engines_do_and_carries_no_credentials() {
        let uri: Uri = "/items/1".parse().expect("a uri");
        let origin = HeaderValue::from_static(PAGE);
        let preflight: Request<String> = request(
            &uri,
            &origin,
            &Method::PUT,
            &names(&["content-type", "x-api-key"]),
        );
        assert_eq!(preflight.method(), Method::OPTIONS);
        assert_eq!(preflight.uri(), "/items/1");
        let headers = preflight.headers();
        assert_eq!(headers[ORIGIN], PAGE);
        assert_eq!(headers[ACCESS_CONTROL_REQUEST_METHOD], "PUT");
        assert_eq!(
            headers[ACCESS_CONTROL_REQUEST_HEADERS],
            "content-type,x-api-key"
        );
        assert_eq!(headers[ACCEPT], "*/*");
        assert_eq!(headers.len(), 4);
    }

    #[test]
    fn the_method_must_be_listed_byte_for_byte_unless_safelisted() {
        let headers = answer(&[(&ACCESS_CONTROL_ALLOW_METHODS, "PUT, PATCH")]);
        assert!(verdict(&headers, false, "PUT", &[]).is_ok());
        assert!(verdict(&headers, false, "POST", &[]).is_ok());
        assert_eq!(
            verdict(&headers, false, "patch", &[]).unwrap_err(),
            Reason::MethodNotAllowed
        );
        assert_eq!(
            verdict(&headers, false, "DELETE", &[]).unwrap_err(),
            Reason::MethodNotAllowed
        );
    }

    #[test]
    fn a_wildcard_method_or_header_counts_only_without_credentials() {
        let headers = answer(&[
            (&ACCESS_CONTROL_ALLOW_METHODS, "*"),
            (&ACCESS_CONTROL_ALLOW_HEADERS, "*"),
        ]);
        assert!(verdict(&headers, false, "DELETE", &["x-api-key"]).is_ok());
        assert_eq!(
            verdict(&headers, true, "DELETE", &[]).unwrap_err(),
            Reason::MethodNotAllowed
        );
        assert_eq!(
            verdict(&headers, true, "GET", &["x-api-key"]).unwrap_err(),
            Reason::HeaderNotAllowed
        );
    }

    #[test]
    fn authorization_must_be_listed_even_beside_a_wildcard() {
        let star = answer(&[(&ACCESS_CONTROL_ALLOW_HEADERS, "*")]);
        assert_eq!(
            verdict(&star, false, "GET", &["authorization", "x-a"]).unwrap_err(),
            Reason::HeaderNotAllowed
        );
        let listed = answer(&[(&ACCESS_CONTROL_ALLOW_HEADERS, "*, Authorization")]);
        assert!(verdict(&listed, false, "GET", &["authorization", "x-a"]).is_ok());
    }

    #[test]
    fn the_first_refused_header_is_the_one_reported() {
        let headers = answer(&[(&ACCESS_CONTROL_ALLOW_HEADERS, "X-Api-Key")]);
        let method = Method::GET;
        let failure = check(
            StatusCode::OK,
            &headers,
            PAGE.as_bytes(),
            false,
            &method,
            &names(&["x-api-key", "x-debug", "x-trace"]),
        )
        .unwrap_err();
        assert_eq!(failure.detail, "x-debug");
    }

    #[test]
    fn the_cors_check_comes_before_the_status_and_a_redirect_before_both() {
        let status = |status: StatusCode, headers: &HeaderMap| {
            check(status, headers, PAGE.as_bytes(), false, &Method::PUT, &[])
                .map_err(|failure| failure.reason)
                .unwrap_err()
        };
        let bare = HeaderMap::new();
        assert_eq!(status(StatusCode::FORBIDDEN, &bare), Reason::NoAllowOrigin);
        let granted = answer(&[(&ACCESS_CONTROL_ALLOW_METHODS, "PUT")]);
        assert_eq!(
            status(StatusCode::FORBIDDEN, &granted),
            Reason::PreflightNotOk
        );
        assert_eq!(status(StatusCode::FOUND, &bare), Reason::PreflightRedirect);
    }

    #[test]
    fn lists_that_do_not_parse_fail_the_preflight() {
        let methods = answer(&[(&ACCESS_CONTROL_ALLOW_METHODS, "PUT PATCH")]);
        assert_eq!(
            verdict(&methods, false, "PUT", &[]).unwrap_err(),
            Reason::InvalidAllowMethods
        );
        let headers = answer(&[(&ACCESS_CONTROL_ALLOW_HEADERS, "x-a;x-b")]);
        assert_eq!(
            verdict(&headers, false, "GET", &["x-a"]).unwrap_err(),
            Reason::InvalidAllowHeaders
        );
    }

    #[test]
    fn max_age_defaults_to_five_seconds_and_is_capped() {
        let age = |values: &[&'static str]| {
            let pairs: Vec<(&HeaderName, &'static str)> = values
                .iter()
                .map(|value| (&ACCESS_CONTROL_MAX_AGE, *value))
                .collect();
            verdict(&answer(&pairs), false, "GET", &[])
                .expect("granted")
                .max_age
                .as_secs()
        };
        assert_eq!(age(&[]), 5);
        assert_eq!(age(&["600"]), 600);
        assert_eq!(age(&["0"]), 0);
        assert_eq!(age(&["86400"]), 7_200);
        assert_eq!(age(&["99999999999999999999999"]), 7_200);
        for odd in [&["-1"][..], &["1.5"], &["ten"], &[""], &["60", "60"]] {
            assert_eq!(age(odd), 5, "{odd:?}");
        }
    }
}
