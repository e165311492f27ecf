//! Subdomain and port patterns, and `*` for origins, methods, headers and expose.

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::routing::{get, post};
use cors_runtime::{AllowOrigin, Decision, Policy, Verdict, cors, decide};

#[cors(origins = ["https://*.example.com", "http://localhost:*", "https://app.example.org:8443"],
       credentials)]
async fn patterns() -> &'static str {
    "patterns"
}

#[cors(origins = ["*"], methods = ["*"], headers = ["*", "authorization"], expose = ["*"])]
async fn anyone() -> &'static str {
    "anyone"
}

/// What `policy` answers to a `GET` from `origin`.
fn answer(policy: &'static Policy, origin: &'static str) -> &'static str {
    let mut headers = HeaderMap::new();
    headers.insert("origin", HeaderValue::from_static(origin));
    match decide(policy, &Method::GET, &headers) {
        Decision::Actual(Verdict::Allowed(AllowOrigin::Listed(_))) => "listed",
        Decision::Actual(Verdict::Allowed(AllowOrigin::Echo(_))) => "echoed",
        Decision::Actual(Verdict::Allowed(AllowOrigin::Any)) => "any",
        _ => "refused",
    }
}

fn main() {
    assert_eq!(answer(patterns::policy(), "https://a.b.example.com"), "echoed");
    assert_eq!(answer(patterns::policy(), "http://localhost:5173"), "echoed");
    assert_eq!(answer(patterns::policy(), "https://app.example.org:8443"), "listed");
    assert_eq!(answer(patterns::policy(), "https://example.com"), "refused");
    assert_eq!(answer(anyone::policy(), "https://example.com"), "any");
    assert!(!anyone::policy().varies_with_origin());

    let _app: Router = Router::new()
        .route("/patterns", get(patterns).layer(patterns::layer()))
        .route("/anyone", post(anyone).layer(anyone::layer()));
}
