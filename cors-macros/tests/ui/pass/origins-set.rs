//! Origins from a set refilled at run time, named by a path, in a handler's attribute and in a
//! named policy; the rest is checked at compile time.
use axum::Router;
use axum::routing::get;
use cors_runtime::{Origins, cors, cors_policy};

mod sets {
    /// Customer domains, refreshed while the app runs.
    pub static TENANTS: cors_runtime::Origins = cors_runtime::Origins::new();
}

static STAFF_ORIGINS: Origins = Origins::new();

#[cors(origins = sets::TENANTS, credentials, methods = [GET, POST], headers = ["content-type"])]
async fn orders() -> &'static str {
    "orders"
}

cors_policy!(pub STAFF, origins = STAFF_ORIGINS, credentials, insecure_http);

#[cors(policy = STAFF)]
async fn staff() -> &'static str {
    "staff"
}

fn app() -> Router {
    Router::new()
        .route("/orders", get(orders).layer(orders::layer()))
        .route("/staff", get(staff).layer(staff::layer()))
}

fn main() {
    sets::TENANTS
        .replace(["https://acme.example.com", "https://*.shop.example"])
        .unwrap();
    STAFF_ORIGINS.replace(["http://intranet.example.com"]).unwrap();
    assert!(orders::policy().credentials());
    let _ = app();
}
