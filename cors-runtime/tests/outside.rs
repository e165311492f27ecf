//! Answers made outside the `#[cors]` layers, as a page on an allowed origin reads them through
//! the browser model: for each router-wide layer, the order that leaves its answers unreadable,
//! and the orders that make them readable (the layer inside the `#[cors]` layer, or
//! `cors_runtime::outer` added last).

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Json, Request};
use axum::http::StatusCode;
use axum::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, AUTHORIZATION, CONTENT_LENGTH, ORIGIN};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{MethodRouter, get, post};
use cors_runtime::browser::{Blocked, Browser};
use cors_runtime::{cors, cors_policy};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

const APP: &str = "https://app.example.com";

cors_policy!(
    FRONTEND,
    origins = ["https://app.example.com"],
    credentials,
    methods = [GET, POST, PUT],
    headers = ["content-type", "authorization"]
);

#[cors(policy = FRONTEND)]
async fn item() -> &'static str {
    "item"
}

#[cors(policy = FRONTEND)]
async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "slow"
}

#[cors(policy = FRONTEND)]
async fn panics() -> &'static str {
    panic!("the handler failed")
}

#[cors(policy = FRONTEND)]
async fn fails() -> StatusCode {
    StatusCode::INTERNAL_SERVER_ERROR
}

#[cors(policy = FRONTEND)]
async fn upload(body: Bytes) -> String {
    format!("{} bytes", body.len())
}

#[cors(policy = FRONTEND)]
async fn typed(Json(n): Json<u32>) -> String {
    n.to_string()
}

/// Refuses every request without `Authorization`, preflights included, as a careless
/// authentication middleware does.
async fn auth(request: Request, next: Next) -> Result<Response, StatusCode> {
    if request.headers().contains_key(AUTHORIZATION) {
        Ok(next.run(request).await)
    } else {
        Err(StatusCode::UNAUTHORIZED)
    }
}

/// What a script of the page reads when it calls `method` on `path` with `headers`: the status,
/// or the reason the browser blocked it.
async fn read(
    app: Router,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<StatusCode, Blocked> {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Body::from(body.to_owned())).unwrap();
    let response = Browser::new(APP).credentials().fetch(app, request).await?;
    Ok(response.status())
}

/// A `PUT` with JSON: preflighted.
async fn put(app: Router, path: &str) -> Result<StatusCode, Blocked> {
    read(
        app,
        "PUT",
        path,
        &[("content-type", "application/json")],
        "1",
    )
    .await
}

fn route(path: &str, route: MethodRouter) -> Router {
    Router::new().route(path, route)
}

#[tokio::test]
async fn authentication_in_route_layer_inside_the_policy_lets_the_page_read_its_401() {
    let app = route(
        "/item",
        get(item)
            .put(item)
            .route_layer(middleware::from_fn(auth))
            .layer(item::layer()),
    );
    assert_eq!(
        put(app.clone(), "/item").await.unwrap(),
        StatusCode::UNAUTHORIZED
    );
    let authorized = [("authorization", "Bearer t")];
    assert_eq!(
        read(app, "GET", "/item", &authorized, "").await.unwrap(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn authentication_in_route_layer_outside_the_policy_blocks_the_preflight() {
    let app = route(
        "/item",
        get(item)
            .put(item)
            .layer(item::layer())
            .route_layer(middleware::from_fn(auth)),
    );
    put(app, "/item").await.unwrap_err();
}

#[tokio::test]
async fn authentication_on_the_whole_router_blocks_preflights_and_its_own_401() {
    let app =
        route("/item", get(item).put(item).layer(item::layer())).layer(middleware::from_fn(auth));
    put(app.clone(), "/item").await.unwrap_err();
    read(app, "GET", "/item", &[], "").await.unwrap_err();
}

#[tokio::test]
async fn the_outer_layer_answers_preflights_before_authentication_and_makes_its_401_readable() {
    let app = route("/item", get(item).put(item).layer(item::layer()))
        .layer(middleware::from_fn(auth))
        .layer(cors_runtime::outer(&FRONTEND));
    assert_eq!(
        put(app.clone(), "/item").await.unwrap(),
        StatusCode::UNAUTHORIZED
    );
    let authorized = [
        ("authorization", "Bearer t"),
        ("content-type", "application/json"),
    ];
    let status = read(app, "PUT", "/item", &authorized, "1").await.unwrap();
    assert_eq!(status, StatusCode::OK);
}

/// Each router-wide `layer` over `path`'s route: blocked as it is, readable as `status` with
/// `cors_runtime::outer` added last.
async fn assert_outer_makes_readable<L>(
    route: MethodRouter,
    layer: L,
    path: &str,
    status: StatusCode,
) where
    L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
    L::Service: tower::Service<Request, Error = Infallible> + Clone + Send + Sync + 'static,
    <L::Service as tower::Service<Request>>::Response: axum::response::IntoResponse + 'static,
    <L::Service as tower::Service<Request>>::Future: Send + 'static,
{
    let body = "x".repeat(64);
    let app = Router::new().route(path, route).layer(layer);
    let blocked = read(app.clone(), "POST", path, &[], &body).await;
    assert!(blocked.is_err(), "{path}: {blocked:?}");
    let app = app.layer(cors_runtime::outer(&FRONTEND));
    assert_eq!(
        read(app, "POST", path, &[], &body).await.unwrap(),
        status,
        "{path}"
    );
}

#[tokio::test]
async fn a_router_wide_timeout_is_readable_only_under_the_outer_layer() {
    let timeout =
        TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_millis(10));
    assert_outer_makes_readable(
        get(slow).post(slow).layer(slow::layer()),
        timeout,
        "/slow",
        StatusCode::REQUEST_TIMEOUT,
    )
    .await;
}

#[tokio::test]
async fn a_router_wide_body_limit_refuses_a_declared_length_outside_the_policy() {
    // a browser sends `Content-Length` (the model does not, as a script cannot set it): the limit
    // refuses such a body before any `#[cors]` layer sees it
    let app =
        route("/upload", post(upload).layer(upload::layer())).layer(RequestBodyLimitLayer::new(8));
    let allow_origin = |app: Router| async move {
        let request = Request::post("/upload")
            .header(ORIGIN, APP)
            .header(CONTENT_LENGTH, "64")
            .body(Body::from("x".repeat(64)))
            .unwrap();
        let response = tower::ServiceExt::oneshot(app, request).await.unwrap();
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        response.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).cloned()
    };
    assert_eq!(allow_origin(app.clone()).await, None);
    let app = app.layer(cors_runtime::outer(&FRONTEND));
    assert_eq!(allow_origin(app).await.unwrap(), APP);
    // without a declared length, the limit is met as the handler's extractor reads the body,
    // inside the `#[cors]` layer
    let app =
        route("/upload", post(upload).layer(upload::layer())).layer(RequestBodyLimitLayer::new(8));
    let status = read(app, "POST", "/upload", &[], &"x".repeat(64))
        .await
        .unwrap();
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_router_wide_panic_catcher_is_readable_only_under_the_outer_layer() {
    let catcher = CatchPanicLayer::new();
    assert_outer_makes_readable(
        get(panics).post(panics).layer(panics::layer()),
        catcher,
        "/panics",
        StatusCode::INTERNAL_SERVER_ERROR,
    )
    .await;
}

#[tokio::test]
async fn a_timeout_or_panic_catcher_inside_the_policy_is_readable() {
    let timeout =
        TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_millis(10));
    let app = route(
        "/slow",
        get(slow)
            .layer::<_, Infallible>(timeout)
            .layer(slow::layer()),
    );
    assert_eq!(
        read(app, "GET", "/slow", &[], "").await.unwrap(),
        StatusCode::REQUEST_TIMEOUT
    );
    let app = route(
        "/panics",
        get(panics)
            .layer::<_, Infallible>(CatchPanicLayer::new())
            .layer(panics::layer()),
    );
    assert_eq!(
        read(app, "GET", "/panics", &[], "").await.unwrap(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

#[tokio::test]
async fn errors_made_inside_the_policy_are_readable() {
    let app = route("/fails", get(fails).layer(fails::layer()))
        .route(
            "/upload",
            get(upload)
                .post(upload)
                .layer::<_, Infallible>(DefaultBodyLimit::max(8))
                .layer(upload::layer()),
        )
        .route("/typed", get(typed).post(typed).layer(typed::layer()));
    assert_eq!(
        read(app.clone(), "GET", "/fails", &[], "").await.unwrap(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    let big = "x".repeat(64);
    assert_eq!(
        read(app.clone(), "POST", "/upload", &[], &big)
            .await
            .unwrap(),
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let json = [("content-type", "application/json")];
    assert_eq!(
        read(app, "POST", "/typed", &json, "nope").await.unwrap(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn an_unrouted_method_is_readable_as_405_when_the_policy_lists_it_and_blocked_when_not() {
    let app = route("/item", get(item).layer(item::layer()));
    assert_eq!(
        read(app.clone(), "POST", "/item", &[], "").await.unwrap(),
        StatusCode::METHOD_NOT_ALLOWED
    );
    read(app, "DELETE", "/item", &[], "").await.unwrap_err();
}

#[tokio::test]
async fn the_routers_404_is_readable_under_a_router_wide_policy_or_the_outer_layer_only() {
    let app = route("/item", get(item).layer(item::layer()));
    read(app.clone(), "GET", "/missing", &[], "")
        .await
        .unwrap_err();
    let wide = app.clone().layer(item::layer());
    assert_eq!(
        read(wide, "GET", "/missing", &[], "").await.unwrap(),
        StatusCode::NOT_FOUND
    );
    let outer = app.layer(cors_runtime::outer(&FRONTEND));
    assert_eq!(
        read(outer, "GET", "/missing", &[], "").await.unwrap(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_nested_routers_policies_answer_inside_it_and_its_404_needs_the_outer_layer() {
    let api = route("/item", get(item).put(item).layer(item::layer()));
    let app = Router::new().nest("/api", api);
    assert_eq!(put(app.clone(), "/api/item").await.unwrap(), StatusCode::OK);
    read(app.clone(), "GET", "/api/missing", &[], "")
        .await
        .unwrap_err();
    let app = app.layer(cors_runtime::outer(&FRONTEND));
    assert_eq!(
        read(app, "GET", "/api/missing", &[], "").await.unwrap(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_outer_layer_leaves_a_routes_own_refusal_alone() {
    // `/item` lists only GET for the page's origin; the outer policy lists POST: the route's
    // layer finished the answer, so the page still cannot read it
    #[cors(origins = ["https://app.example.com"], methods = [GET])]
    async fn narrow() -> &'static str {
        "narrow"
    }
    let app = route("/narrow", get(narrow).post(narrow).layer(narrow::layer()))
        .layer(cors_runtime::outer(&FRONTEND));
    read(app, "POST", "/narrow", &[], "").await.unwrap_err();
}
