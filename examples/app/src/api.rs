//! The API: [the FastAPI CORS tutorial](https://fastapi.tiangolo.com/tutorial/cors/) with one
//! `#[cors]` policy per handler.
//!
//! The page of this example is opened at `http://localhost:3000`, so that is the origin most
//! policies list. The origins are compiled in: a page served anywhere else is refused by every
//! route but `/public` (and `/items/{id}` from another `localhost` port), which is the point.
//! `/tenant` is the exception: its origins are the set [`TENANTS`], filled at startup with the
//! page's origin, and `POST /tenants` adds one to it while the app runs.
//! `/ws` and `/transfer` have `csrf` as well: what CORS cannot stop (a socket, a form post) is
//! refused before the handler unless it comes from that origin.

use std::sync::Mutex;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router, extract::Path};
use cors_runtime::{Origins, cors};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The API's routes, each handler wrapped in the layer of its own policy.
///
/// `.layer(...)` on a method router wraps the handlers added so far, so on a path with several
/// methods each handler is followed by its own layer; a preflight is answered by the policy of
/// the handler for the method it asks about.
///
/// # Panics
/// If the page's origin cannot fill [`TENANTS`], which it always can.
pub fn router() -> Router {
    // the first router fills the set; one built later keeps what `POST /tenants` added
    if TENANTS.entries().is_empty() {
        TENANTS
            .replace(["http://localhost:3000"])
            .expect("the page's origin is a valid tenant");
    }
    Router::new()
        .route("/", get(hello).layer(hello::layer()))
        .route(
            "/items/",
            get(list_items)
                .layer(list_items::layer())
                .post(create_item)
                .layer(create_item::layer()),
        )
        .route(
            "/items/{id}",
            get(read_item)
                .layer(read_item::layer())
                .delete(delete_item)
                .layer(delete_item::layer()),
        )
        .route("/public", get(public).layer(public::layer()))
        .route("/account", get(account).layer(account::layer()))
        .route("/protected", get(protected).layer(protected::layer()))
        .route("/settings", put(settings).layer(settings::layer()))
        .route("/tenant", get(tenant).layer(tenant::layer()))
        .route("/tenants", post(add_tenant).layer(add_tenant::layer()))
        .route("/ws", get(echo).layer(echo::layer()))
        .route("/transfer", post(transfer).layer(transfer::layer()))
        .route("/health", get(health))
}

/// The origins of the tenants, who may read `/tenant`: filled when the router is built and
/// refilled by `POST /tenants`, without a restart.
pub static TENANTS: Origins = Origins::new();

/// Keeps two `POST /tenants` from each reading the set and one losing the other's origin.
static TENANT_UPDATES: Mutex<()> = Mutex::new(());

/// An item of the tutorial's store, as the client sends it.
#[derive(Debug, Deserialize, Serialize)]
struct Item {
    /// What the item is called.
    name: String,
    /// What it costs.
    price: f64,
}

/// `GET /`: the tutorial's greeting, for the page's origin only, with the default methods
/// (`GET`, `HEAD`, `POST`).
#[cors(origins = ["http://localhost:3000"])]
async fn hello() -> Json<Value> {
    Json(json!({ "message": "Hello, World!" }))
}

/// `GET /items/`: the store's items, with a count the page may read (`expose`) and a header it
/// may not.
#[cors(origins = ["http://localhost:3000"], methods = [GET], expose = ["x-total-count"])]
async fn list_items() -> impl IntoResponse {
    (
        [("x-total-count", "2"), ("x-powered-by", "axum")],
        Json(json!([
            { "name": "Foo", "price": 50.2 },
            { "name": "Bar", "price": 62.0 },
        ])),
    )
}

/// `POST /items/`: echoes a JSON item. `Content-Type: application/json` is not safelisted, so
/// the browser asks first with a preflight, which must allow `content-type`.
#[cors(origins = ["http://localhost:3000"], methods = [POST], headers = ["content-type"])]
async fn create_item(Json(item): Json<Item>) -> Json<Item> {
    Json(item)
}

/// `GET /items/{id}`: readable from a dev server on any `localhost` port and from any `https`
/// subdomain of `example.com`.
#[cors(origins = ["http://localhost:*", "https://*.example.com"], methods = [GET])]
async fn read_item(Path(id): Path<u32>) -> Json<Value> {
    Json(json!({ "item_id": id }))
}

/// `DELETE /items/{id}`: on the same path as `read_item` with a stricter policy: the page's
/// origin only, with its cookies, and a preflight the browser may cache for ten minutes.
#[cors(origins = ["http://localhost:3000"], credentials, methods = [DELETE], max_age = 600)]
async fn delete_item(Path(_id): Path<u32>) -> StatusCode {
    StatusCode::NO_CONTENT
}

/// `GET /public`: anyone may read it, from any origin, without credentials.
#[cors(origins = ["*"])]
async fn public() -> Json<Value> {
    Json(json!({ "message": "anyone may read this" }))
}

/// `GET /account`: the page may call it with `credentials: "include"`, so the browser sends its
/// cookies for the API along and lets the page read the answer.
#[cors(origins = ["http://localhost:3000"], credentials)]
async fn account() -> Json<Value> {
    Json(json!({ "user": "alice" }))
}

/// `GET /protected`: needs an `x-api-key` header, which the page may send (`headers`).
#[cors(origins = ["http://localhost:3000"], headers = ["x-api-key"])]
async fn protected(headers: HeaderMap) -> (StatusCode, Json<Value>) {
    if headers.contains_key("x-api-key") {
        (StatusCode::OK, Json(json!({ "message": "key accepted" })))
    } else {
        (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "detail": "send an x-api-key header" })),
        )
    }
}

/// `PUT /settings`: [the tutorial](https://fastapi.tiangolo.com/tutorial/cors/)'s own configuration, word for word: three origins,
/// credentials, five methods and any request header, which with credentials is granted by echoing
/// what the preflight asks for (`authorization` would have to be listed beside `*`).
#[cors(origins = ["http://localhost:3000", "https://your-frontend.com",
                  "https://staging.your-frontend.com"],
       credentials, methods = [GET, POST, PUT, DELETE, OPTIONS], headers = ["*"])]
async fn settings(headers: HeaderMap, body: String) -> Json<Value> {
    let custom = headers.get("x-custom-header").and_then(|v| v.to_str().ok());
    Json(json!({ "saved": body, "x-custom-header": custom }))
}

/// `GET /tenant`: readable from the origins in [`TENANTS`] as they are now.
#[cors(origins = TENANTS, methods = [GET])]
async fn tenant() -> Json<Value> {
    Json(json!({ "tenants": TENANTS.entries() }))
}

/// `POST /tenants`: adds the origin in the (plain text) body to [`TENANTS`], from the next
/// request on; a wrong origin is refused `422` with the fix. A demonstration: a real service
/// would authenticate this, or refresh the set from its database.
#[cors(origins = ["http://localhost:3000"], methods = [POST])]
async fn add_tenant(origin: String) -> (StatusCode, String) {
    let _update = TENANT_UPDATES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let origin = origin.trim().to_owned();
    let mut origins = TENANTS.entries();
    if !origins.contains(&origin) {
        origins.push(origin);
    }
    match TENANTS.replace(&origins) {
        Ok(()) => (StatusCode::OK, origins.join("\n")),
        Err(error) => (StatusCode::UNPROCESSABLE_ENTITY, error.to_string()),
    }
}

/// `GET /ws`: a WebSocket that sends every message back. Browsers never apply CORS to a
/// handshake, so `csrf` refuses one from a page of another origin with `403` before the upgrade.
#[cors(origins = ["http://localhost:3000"], csrf)]
async fn echo(upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(|mut socket: WebSocket| async move {
        while let Some(Ok(message)) = socket.recv().await {
            if matches!(message, Message::Text(_) | Message::Binary(_))
                && socket.send(message).await.is_err()
            {
                break;
            }
        }
    })
}

/// `POST /transfer`: takes an HTML form. A browser sends a form post to any origin, with the
/// user's cookies, whatever CORS says; `csrf` refuses one from a page of another origin with
/// `403` before the handler runs. The answer tells the page that posted it that it ran.
#[cors(origins = ["http://localhost:3000"], csrf)]
async fn transfer(form: String) -> Html<&'static str> {
    tracing::info!("transfer form posted: {form}");
    Html(
        r#"<!doctype html><title>posted</title><script>parent.postMessage("posted", "*")</script>"#,
    )
}

/// `GET /health`: no `#[cors]`, so no response carries CORS headers and browsers let no other
/// origin read it; `curl` and servers still can.
async fn health() -> &'static str {
    "ok"
}
