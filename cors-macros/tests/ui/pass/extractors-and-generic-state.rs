//! Handlers keep their extractors, return types and generic parameters.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use cors_runtime::cors;
use serde::{Deserialize, Serialize};

#[derive(Clone, Deserialize, Serialize)]
struct Item {
    name: String,
}

#[derive(Clone)]
struct AppState {
    greeting: &'static str,
}

#[cors(origins = ["https://app.example.com"], methods = [PUT], headers = ["content-type"])]
async fn update_item(Path(id): Path<u32>, Json(item): Json<Item>) -> Json<(u32, Item)> {
    Json((id, item))
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn greet<S>(State(_state): State<S>) -> &'static str
where
    S: Clone + Send + Sync + 'static,
{
    "hello"
}

#[cors(origins = ["https://app.example.com"])]
async fn concrete(State(state): State<AppState>) -> &'static str {
    state.greeting
}

fn router<S: Clone + Send + Sync + 'static>(state: S) -> Router {
    Router::new()
        .route("/greet", get(greet::<S>).layer(greet::layer()))
        .with_state(state)
}

fn main() {
    let _items: Router = Router::new()
        .route("/items/{id}", axum::routing::put(update_item).layer(update_item::layer()))
        .route("/concrete", post(concrete).layer(concrete::layer()))
        .with_state(AppState { greeting: "hi" });
    let _greet = router(AppState { greeting: "hi" });
}
