//! What the integration tests that send requests through a `Router` share.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request, Response};
use tower::ServiceExt;

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
