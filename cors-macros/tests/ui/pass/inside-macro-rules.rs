//! `#[cors]` inside `macro_rules!`: the handler and its policy item resolve from the call site.

use axum::Router;
use axum::routing::get;
use cors_runtime::cors;

macro_rules! handler {
    ($name:ident, $origin:literal, $body:expr) => {
        #[cors(origins = [$origin], methods = [GET])]
        async fn $name() -> &'static str {
            $body
        }
    };
}

macro_rules! fixed_handler {
    () => {
        #[cors(origins = ["https://app.example.com"])]
        async fn fixed() -> &'static str {
            "fixed"
        }
    };
}

handler!(first, "https://app.example.com", "first");
handler!(second, "https://admin.example.com", "second");
fixed_handler!();

fn main() {
    let _app: Router = Router::new()
        .route("/first", get(first).layer(first::layer()))
        .route("/second", get(second).layer(second::layer()))
        .route("/fixed", get(fixed).layer(fixed::layer()));
}
