//! `csrf` on a handler, in a named policy and with origins read at startup: a cross-site form
//! post is refused, and the same post from an allowed origin passes.
use axum::Router;
use axum::http::{HeaderMap, HeaderValue, Method, Uri};
use axum::routing::post;
use cors_runtime::csrf::Verdict;
use cors_runtime::{Policy, cors, cors_policy};

#[cors(origins = ["https://app.example.com"], credentials, csrf)]
async fn transfer() -> &'static str {
    "done"
}

cors_policy!(WRITERS, origins = ["https://app.example.com"], csrf);

#[cors(policy = WRITERS)]
async fn comment() -> &'static str {
    "posted"
}

#[cors(origins = env("CORS_UI_CSRF_ORIGINS"), csrf)]
async fn upload() -> &'static str {
    "uploaded"
}

/// Whether `policy` lets a cross-site form post from `origin` through.
fn passes(policy: &Policy, origin: &'static str) -> bool {
    let mut headers = HeaderMap::new();
    headers.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
    headers.insert("origin", HeaderValue::from_static(origin));
    let uri = Uri::from_static("/transfer");
    let verdict = policy.protects(&Method::POST, &uri, &headers);
    matches!(verdict, Some(Verdict::Pass(_)))
}

fn main() {
    let _app: Router = Router::new()
        .route("/transfer", post(transfer).layer(transfer::layer()))
        .route("/comment", post(comment).layer(comment::layer()));
    for policy in [transfer::policy(), comment::policy()] {
        assert!(policy.csrf());
        assert!(!passes(policy, "https://evil.example.net"));
        assert!(passes(policy, "https://app.example.com"));
    }
    // `upload::layer()` reads its origins at startup; naming it is enough here
    let _ = upload::layer;
}
