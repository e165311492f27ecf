//! The FastAPI tutorial's configuration, word for word: three origins, credentials, `OPTIONS`
//! among the methods and `*` request headers, which with credentials are echoed.

use axum::Router;
use axum::routing::any;
use cors_runtime::cors;

#[cors(origins = ["http://localhost:3000", "https://your-frontend.com",
                  "https://staging.your-frontend.com"],
       credentials, methods = [GET, POST, PUT, DELETE, OPTIONS], headers = ["*"])]
async fn items() -> &'static str {
    "items"
}

fn main() {
    assert!(items::policy().credentials());
    let _app: Router = Router::new().route("/items", any(items).layer(items::layer()));
}
