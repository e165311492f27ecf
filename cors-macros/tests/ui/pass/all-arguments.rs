//! Every argument at once: the policy reads back as declared, its tables answer a preflight, and
//! the layer goes on an axum route.

use axum::http::{HeaderMap, HeaderValue, Method};
use axum::routing::post;
use axum::{Json, Router};
use cors_runtime::{AllowOrigin, Decision, Verdict, cors, decide};

#[cors(origins = ["https://app.example.com", "http://intranet.example.com", "http://localhost:3000"],
       credentials, insecure_http, methods = [GET, POST, PATCH],
       headers = ["content-type", "X-Api-Key"], expose = ["x-request-id"], max_age = 600)]
async fn create_item(Json(item): Json<String>) -> Json<String> {
    Json(item)
}

fn main() {
    let policy = create_item::policy();
    let handler = create_item::layer().handler();
    assert_eq!(handler.name(), "create_item");
    assert_eq!((handler.file(), handler.line()), (file!(), 12));
    assert!(policy.credentials());
    assert!(policy.varies_with_origin());

    let mut preflight = HeaderMap::new();
    preflight.insert("origin", HeaderValue::from_static("http://intranet.example.com"));
    preflight.insert("access-control-request-method", HeaderValue::from_static("PATCH"));
    preflight.insert("access-control-request-headers", HeaderValue::from_static("content-type,x-api-key"));
    let listed = HeaderValue::from_static("http://intranet.example.com");
    assert!(matches!(
        decide(policy, &Method::OPTIONS, &preflight),
        Decision::Preflight(Verdict::Allowed(AllowOrigin::Listed(origin))) if *origin == listed
    ));

    let _app: Router = Router::new().route("/items", post(create_item).layer(create_item::layer()));
}
