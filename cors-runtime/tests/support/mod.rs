//! What the integration tests that send requests through a `Router` share.
#![allow(
    dead_code,
    reason = "each test crate that sends requests uses its own share of these"
)]

use axum::Router;
use axum::body::Body;
use axum::http::header::{ACCESS_CONTROL_MAX_AGE, VARY};
use axum::http::{HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The header `name: value`, for a request.
pub(crate) fn h(name: HeaderName, value: &str) -> (HeaderName, HeaderValue) {
    (name, HeaderValue::from_str(value).unwrap())
}

/// The response's first `name` header, as text.
pub(crate) fn header<'a>(response: &'a Response<Body>, name: &HeaderName) -> Option<&'a str> {
    response.headers().get(name).map(|v| v.to_str().unwrap())
}

/// Every `Vary` line of the response.
pub(crate) fn vary(response: &Response<Body>) -> Vec<&str> {
    let values = response.headers().get_all(VARY).iter();
    values.map(|v| v.to_str().unwrap()).collect()
}

/// The response's body, as text.
pub(crate) async fn body(response: Response<Body>) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Sends one request with these headers to `app` and returns the response.
pub(crate) async fn send(
    app: Router,
    method: Method,
    path: &str,
    headers: &[(HeaderName, HeaderValue)],
) -> Response<Body> {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    app.oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

/// Fails, saying `context`, when the response carries any `Access-Control-*` header.
#[track_caller]
pub(crate) fn assert_no_cors_headers(response: &Response<Body>, context: &str) {
    let granted: Vec<&HeaderName> = response
        .headers()
        .keys()
        .filter(|name| name.as_str().starts_with("access-control-"))
        .collect();
    assert!(granted.is_empty(), "{context}: sent {granted:?}");
}

/// Fails, saying `context`, unless `refused` is a `204` with the `Access-Control-*` headers of
/// `granted`, a granted preflight of the same origin, and no `Access-Control-Max-Age`: a refusal
/// the browser can explain, which discloses nothing a grant does not.
#[track_caller]
pub(crate) fn assert_answered_like_a_grant(
    refused: &Response<Body>,
    granted: &Response<Body>,
    context: &str,
) {
    let cors = |response: &Response<Body>| {
        let mut headers: Vec<(String, Vec<u8>)> = response
            .headers()
            .iter()
            .filter(|(name, _)| name.as_str().starts_with("access-control-"))
            .filter(|(name, _)| **name != ACCESS_CONTROL_MAX_AGE)
            .map(|(name, value)| (name.to_string(), value.as_bytes().to_vec()))
            .collect();
        headers.sort();
        headers
    };
    assert_eq!(refused.status(), StatusCode::NO_CONTENT, "{context}");
    assert_eq!(
        granted.status(),
        StatusCode::NO_CONTENT,
        "{context}: the grant"
    );
    assert_eq!(cors(refused), cors(granted), "{context}");
    assert!(
        !refused.headers().contains_key(ACCESS_CONTROL_MAX_AGE),
        "{context}: a refusal must not be cached"
    );
}
