//! A handler in a nested module is used, with its policy, from outside the module.

use axum::Router;
use axum::routing::get;

mod api {
    pub mod items {
        use cors_runtime::cors;

        #[cors(origins = ["https://app.example.com"])]
        pub async fn list() -> &'static str {
            "[]"
        }

        #[cors(origins = ["https://admin.example.com"])]
        pub(in crate::api) async fn audit() -> &'static str {
            "audit"
        }
    }

    pub fn admin() -> axum::Router {
        axum::Router::new().route("/audit", axum::routing::get(items::audit).layer(items::audit::layer()))
    }
}

fn main() {
    let _app: Router = Router::new()
        .route("/items", get(api::items::list).layer(api::items::list::layer()))
        .merge(api::admin());
    assert_eq!(api::items::list::layer().handler().name(), "list");
}
