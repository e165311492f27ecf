//! `headers = ["*"]` allows every request header but `authorization`, which Fetch's `*` never
//! covers (fetch `#cors-non-wildcard-request-header-name`): it is granted only when it is listed
//! beside `*`, with or without credentials.

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::routing::get;
use cors_runtime::{Decision, Refusal, Verdict, cors, decide};

#[cors(origins = ["https://app.example.com"], headers = ["*"])]
async fn any_header() -> &'static str {
    "any header"
}

#[cors(origins = ["https://app.example.com"], credentials, headers = ["*", "authorization"])]
async fn any_header_and_authorization() -> &'static str {
    "any header and authorization"
}

/// A preflight from the listed origin for `GET` with `headers`.
fn preflight(headers: &'static str) -> HeaderMap {
    let mut preflight = HeaderMap::new();
    preflight.insert("origin", HeaderValue::from_static("https://app.example.com"));
    preflight.insert("access-control-request-method", HeaderValue::from_static("GET"));
    preflight.insert("access-control-request-headers", HeaderValue::from_static(headers));
    preflight
}

fn main() {
    let custom = preflight("x-anything");
    assert!(matches!(
        decide(any_header::policy(), &Method::OPTIONS, &custom),
        Decision::Preflight(Verdict::Allowed(_))
    ));
    let authorization = preflight("authorization");
    assert!(matches!(
        decide(any_header::policy(), &Method::OPTIONS, &authorization),
        Decision::Explained { refusal: Refusal::HeaderNotAllowed(b"authorization"), .. }
    ));
    assert!(matches!(
        decide(any_header_and_authorization::policy(), &Method::OPTIONS, &authorization),
        Decision::Preflight(Verdict::Allowed(_))
    ));

    let _app: Router = Router::new()
        .route("/any", get(any_header).layer(any_header::layer()))
        .route(
            "/authorized",
            get(any_header_and_authorization).layer(any_header_and_authorization::layer()),
        );
}
