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
/// keeps one a day, WebKit ten minutes).
pub const MAX_AGE_CAP: Duration = Duration::from_secs(7_200);

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
