//! What the browser suite (`tests/browser/outside.rs` of the `cors-tests` package) cannot show of
//! the README's "Answers made outside the layer", through the browser model: a body of unknown
//! length, which `fetch` sends as a stream only over HTTP/2 in Chromium, and not at all in the
//! other two engines. Every other answer of the table is checked there, in each engine and the
//! model.

use std::convert::Infallible;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::routing::post;
use cors_runtime::browser::Browser;
use cors_runtime::cors;
use tower_http::limit::RequestBodyLimitLayer;

#[cors(origins = ["https://app.example.com"])]
async fn upload(body: Bytes) -> String {
    format!("{} bytes", body.len())
}

#[tokio::test]
async fn a_router_wide_body_limit_met_while_reading_a_stream_answers_inside_the_policy() {
    // no `Content-Length` is declared for a stream: the limit is met as the handler's extractor
    // reads the body, inside the `#[cors]` layer, and the page reads the `413`
    let app = Router::new()
        .route("/upload", post(upload).layer(upload::layer()))
        .layer(RequestBodyLimitLayer::new(8));
    let chunks = [Ok::<_, Infallible>(Bytes::from("x".repeat(64)))];
    let request = Request::post("/upload")
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .unwrap();
    let response = Browser::new("https://app.example.com")
        .fetch(app, request)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}
