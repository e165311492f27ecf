//! The expansion of `#[cors]` triggers no lint, even under the strictest settings a user may
//! choose: public and private handlers, every argument, denied `missing_docs`,
//! `unused_qualifications` and the workspace lints, and `clippy::pedantic` (checked by
//! `cargo clippy --all-targets -- -D warnings`).

#![deny(missing_docs, unused_qualifications, unreachable_pub, dead_code)]
#![deny(clippy::pedantic)]

use axum::Router;
use axum::routing::{get, post};
use cors_runtime::cors;

/// A public handler with every argument.
#[cors(origins = ["https://app.example.com", "https://*.example.com", "http://intranet.example.com",
                  "http://localhost:*"],
       credentials, insecure_http, methods = [GET, POST, "PROPFIND"],
       headers = ["content-type", "x-api-key"], expose = ["x-request-id"], max_age = 600)]
pub async fn create_item(body: String) -> String {
    tokio::task::yield_now().await;
    body
}

#[cors(origins = ["*"], methods = ["*"], headers = ["*"], expose = ["*"])]
async fn public() -> &'static str {
    tokio::task::yield_now().await;
    "public"
}

mod api {
    use cors_runtime::cors;

    #[cors(origins = ["https://app.example.com"])]
    pub(crate) async fn list() -> &'static str {
        tokio::task::yield_now().await;
        "[]"
    }
}

/// The app, with every policy applied.
pub fn app() -> Router {
    Router::new()
        .route("/items", post(create_item).layer(create_item::layer()))
        .route("/public", get(public).layer(public::layer()))
        .route("/list", get(api::list).layer(api::list::layer()))
}

#[test]
fn policies_are_declared_on_their_handlers() {
    let _app = app();
    assert_eq!(create_item::policy().handler(), "create_item");
    assert_eq!(public::policy().handler(), "public");
}
