//! The expansions of `#[cors]` and `cors_policy!` trigger no lint, even under the strictest
//! settings a user may choose: public and private handlers, every argument, named policies and
//! origins read from the environment, denied `missing_docs`,
//! `unused_qualifications` and the workspace lints, and `clippy::pedantic` (checked by
//! `cargo clippy --all-targets -- -D warnings`).

#![deny(missing_docs, unused_qualifications, unreachable_pub, dead_code)]
#![deny(clippy::pedantic)]

use axum::Router;
use axum::routing::{get, post};
use cors_runtime::{cors, cors_policy};

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

cors_policy!(pub SHARED, origins = ["https://app.example.com"], credentials, methods = [GET]);

cors_policy!(FROM_ENV, origins = env("LINTS_CORS_ORIGINS"), credentials);

/// A handler with a named policy.
#[cors(policy = SHARED)]
pub async fn shared() -> &'static str {
    tokio::task::yield_now().await;
    "shared"
}

#[cors(policy = FROM_ENV)]
async fn from_env() -> &'static str {
    tokio::task::yield_now().await;
    "from env"
}

#[cors(origins = env("LINTS_CORS_ORIGINS"), methods = [GET])]
async fn own_env() -> &'static str {
    tokio::task::yield_now().await;
    "own env"
}

/// The routes whose origins come from the environment, which must be set first.
pub fn from_env_app() -> Router {
    Router::new()
        .route("/from-env", get(from_env).layer(from_env::layer()))
        .route("/own-env", get(own_env).layer(own_env::layer()))
}

/// The app, with every policy applied.
pub fn app() -> Router {
    Router::new()
        .route("/shared", get(shared).layer(shared::layer()))
        .route("/items", post(create_item).layer(create_item::layer()))
        .route("/public", get(public).layer(public::layer()))
        .route("/list", get(api::list).layer(api::list::layer()))
}

#[test]
fn policies_are_declared_on_their_handlers() {
    let _app = app();
    assert_eq!(create_item::layer().handler().name(), "create_item");
    assert_eq!(public::layer().handler().name(), "public");
    assert_eq!(shared::layer().handler().policy_name(), Some("SHARED"));
    // the environment is not set in this test: the app that reads it is only compiled
    let _ = from_env_app;
}
