//! Origins read from the environment at startup; the rest is checked at compile time.
use axum::Router;
use axum::routing::get;
use cors_runtime::{cors, cors_policy};

#[cors(origins = env("APP_CORS_ORIGINS"), credentials, insecure_http, methods = [GET, POST])]
async fn items() -> &'static str {
    "items"
}

cors_policy!(pub STAFF, origins = env("STAFF_CORS_ORIGINS"), credentials);

#[cors(policy = STAFF)]
async fn staff() -> &'static str {
    "staff"
}

/// Builds the router, which reads the variables: a bad value fails here, at startup.
fn app() -> Router {
    Router::new()
        .route("/items", get(items).layer(items::layer()))
        .route("/staff", get(staff).layer(staff::layer()))
}

fn main() {
    // the variables are not set here; building the router would stop with their names
    let _ = app;
}
