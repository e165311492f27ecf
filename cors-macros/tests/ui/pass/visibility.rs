//! The policy item has its handler's visibility, whatever it is.

use axum::Router;
use axum::routing::get;
use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"])]
pub async fn public() -> &'static str {
    "public"
}

#[cors(origins = ["https://app.example.com"])]
pub(crate) async fn crate_wide() -> &'static str {
    "crate"
}

#[cors(origins = ["https://app.example.com"])]
async fn private() -> &'static str {
    "private"
}

fn main() {
    let _app: Router = Router::new()
        .route("/public", get(public).layer(public::layer()))
        .route("/crate", get(crate_wide).layer(crate_wide::layer()))
        .route("/private", get(private).layer(private::layer()));
}
