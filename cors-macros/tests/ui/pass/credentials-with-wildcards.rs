//! `*` request headers and methods with credentials, as tutorials write them: a preflight gets
//! what it asks for echoed, `authorization` only when listed beside `*`.

use axum::Router;
use axum::routing::{any, get};
use cors_runtime::{cors, cors_policy};

#[cors(origins = ["https://example.com"], credentials, methods = [GET, POST, PUT, DELETE],
       headers = ["*"])]
async fn tutorial() -> &'static str {
    "tutorial"
}

#[cors(origins = ["https://example.com"], credentials, methods = ["*"],
       headers = ["*", "authorization"])]
async fn everything() -> &'static str {
    "everything"
}

cors_policy!(pub FRONTEND, origins = ["https://app.example.com"], credentials, headers = ["*"]);

#[cors(policy = FRONTEND)]
async fn named() -> &'static str {
    "named"
}

fn main() {
    let _app: Router = Router::new()
        .route("/tutorial", get(tutorial).put(tutorial).layer(tutorial::layer()))
        .route("/everything", any(everything).layer(everything::layer()))
        .route("/named", get(named).layer(named::layer()));
}
