//! The browser model against real `#[cors]` handlers on an axum `Router`: what pages of listed
//! and unlisted origins may do, with and without credentials.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::header::COOKIE;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use cors_runtime::browser::{Browser, Reason};
use cors_runtime::cors;
use tower::{ServiceExt, service_fn};

const APP: &str = "https://app.example.com";
const ADMIN: &str = "https://admin.example.com";
const EVIL: &str = "https://evil.example.net";

#[cors(origins = ["https://app.example.com", "https://admin.example.com"], credentials,
       methods = [GET, POST], headers = ["content-type"], expose = ["x-request-id"],
       max_age = 600)]
async fn create_item(body: String) -> impl IntoResponse {
    ([("x-request-id", "42"), ("x-powered-by", "axum")], body)
}

#[cors(origins = ["https://app.example.com"], credentials)]
async fn whoami(headers: HeaderMap) -> String {
    match headers.get(COOKIE) {
        Some(cookie) => String::from_utf8_lossy(cookie.as_bytes()).into_owned(),
        None => "anonymous".to_owned(),
    }
}

#[cors(origins = ["*"])]
async fn public() -> &'static str {
    "public"
}

#[cors(origins = ["https://app.example.com", "https://admin.example.com"], methods = [GET])]
async fn read_item() -> &'static str {
    "item"
}

#[cors(origins = ["https://admin.example.com"], credentials, methods = [DELETE])]
async fn delete_item() -> StatusCode {
    StatusCode::NO_CONTENT
}

#[cors(origins = ["https://app.example.com"], headers = ["*"])]
async fn any_header() -> &'static str {
    "any header"
}

#[cors(origins = ["https://app.example.com"], headers = ["authorization"])]
async fn profile() -> &'static str {
    "profile"
}

fn app() -> Router {
    Router::new()
        .route("/items", post(create_item).layer(create_item::layer()))
        .route("/public", get(public).layer(public::layer()))
        .route("/whoami", get(whoami).layer(whoami::layer()))
        .route(
            "/items/1",
            get(read_item)
                .layer(read_item::layer())
                .delete(delete_item)
                .layer(delete_item::layer()),
        )
        .route("/any-header", get(any_header).layer(any_header::layer()))
        .route("/profile", get(profile).layer(profile::layer()))
}

fn json_post() -> Request<Body> {
    Request::post("/items")
        .header("content-type", "application/json")
        .header("cookie", "session=1")
        .body(Body::from(r#"{"name":"Foo"}"#))
        .expect("a valid request")
}

fn get_with(path: &str, header: Option<(&str, &str)>) -> Request<Body> {
    let mut request = Request::get(path);
    if let Some((name, value)) = header {
        request = request.header(name, value);
    }
    request.body(Body::empty()).expect("a valid request")
}

#[tokio::test]
async fn a_listed_origin_posts_json_with_cookies_and_reads_only_the_exposed_header() {
    let response = Browser::new(APP)
        .credentials()
        .fetch(app(), json_post())
        .await
        .expect("the policy lists the origin, the header and credentials");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.body().as_ref(), br#"{"name":"Foo"}"#);
    assert_eq!(response.headers()["x-request-id"], "42");
    assert!(!response.headers().contains_key("x-powered-by"));
}

#[tokio::test]
async fn cookies_reach_the_handler_only_with_credentials() {
    let cookie = Some(("cookie", "session=1"));
    let without = Browser::new(APP)
        .fetch(app(), get_with("/whoami", cookie))
        .await
        .expect("allowed");
    assert_eq!(without.body().as_ref(), b"anonymous");
    let with = Browser::new(APP)
        .credentials()
        .fetch(app(), get_with("/whoami", cookie))
        .await
        .expect("allowed with credentials");
    assert_eq!(with.body().as_ref(), b"session=1");
}

#[tokio::test]
async fn an_unlisted_origin_is_blocked_by_the_preflight() {
    let blocked = Browser::new(EVIL)
        .fetch(app(), json_post())
        .await
        .expect_err("the origin is not listed");
    assert_eq!(blocked.reason(), Reason::NoAllowOrigin);
    assert!(blocked.in_preflight());
    assert_eq!(
        blocked.to_string(),
        "Access to fetch at '/items' from origin 'https://evil.example.net' has been blocked by \
         CORS policy: Response to preflight request doesn't pass access control check: No \
         'Access-Control-Allow-Origin' header is present on the requested resource."
    );
}

#[tokio::test]
async fn a_simple_get_from_an_unlisted_origin_reaches_the_server_but_not_the_script() {
    let blocked = Browser::new(EVIL)
        .fetch(app(), get_with("/items/1", None))
        .await
        .expect_err("the origin is not listed");
    assert_eq!(blocked.reason(), Reason::NoAllowOrigin);
    assert!(!blocked.in_preflight());
}

#[tokio::test]
async fn any_origin_may_read_a_public_route_but_not_with_credentials() {
    let response = Browser::new(EVIL)
        .fetch(app(), get_with("/public", None))
        .await
        .expect("`*` lets every origin read");
    assert_eq!(response.body().as_ref(), b"public");
    let blocked = Browser::new(EVIL)
        .credentials()
        .fetch(app(), get_with("/public", None))
        .await
        .expect_err("`*` is not honoured with credentials");
    assert_eq!(blocked.reason(), Reason::WildcardOriginWithCredentials);
}

#[tokio::test]
async fn credentials_against_a_policy_without_them_are_blocked() {
    let blocked = Browser::new(APP)
        .credentials()
        .fetch(app(), get_with("/items/1", None))
        .await
        .expect_err("the policy does not allow credentials");
    assert_eq!(blocked.reason(), Reason::AllowCredentialsNotTrue);
}

#[tokio::test]
async fn each_method_of_a_path_is_answered_by_its_own_policy() {
    let delete = || {
        Request::delete("/items/1")
            .body(Body::empty())
            .expect("a valid request")
    };
    let admin = Browser::new(ADMIN).credentials();
    let response = admin
        .fetch(app(), delete())
        .await
        .expect("admin may delete");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let app_page = Browser::new(APP).credentials();
    assert!(app_page.fetch(app(), delete()).await.is_err());
    let read = app_page.fetch(app(), get_with("/items/1", None)).await;
    assert_eq!(read.unwrap_err().reason(), Reason::AllowCredentialsNotTrue);
    let read = Browser::new(APP)
        .fetch(app(), get_with("/items/1", None))
        .await;
    assert_eq!(read.expect("the page may read").body().as_ref(), b"item");
}

#[tokio::test]
async fn a_wildcard_of_headers_does_not_cover_authorization() {
    let page = Browser::new(APP);
    let custom = page
        .fetch(app(), get_with("/any-header", Some(("x-anything", "1"))))
        .await;
    assert!(custom.is_ok());
    let token = Some(("authorization", "Bearer t"));
    assert!(
        page.fetch(app(), get_with("/any-header", token))
            .await
            .is_err()
    );
    assert!(page.fetch(app(), get_with("/profile", token)).await.is_ok());
}

#[tokio::test]
async fn a_granted_preflight_is_reused_for_its_max_age() {
    let preflights = Arc::new(AtomicUsize::new(0));
    let counted = {
        let preflights = Arc::clone(&preflights);
        service_fn(move |request: Request<Body>| {
            if request.method() == Method::OPTIONS {
                preflights.fetch_add(1, Ordering::Relaxed);
            }
            app().oneshot(request)
        })
    };
    let page = Browser::new(APP).credentials();
    for _ in 0..3 {
        page.fetch(counted.clone(), json_post())
            .await
            .expect("allowed");
    }
    assert_eq!(preflights.load(Ordering::Relaxed), 1);
    page.advance(Duration::from_mins(10)); // `max_age = 600`
    page.fetch(counted, json_post()).await.expect("allowed");
    assert_eq!(preflights.load(Ordering::Relaxed), 2);
}

#[tokio::test]
async fn pages_and_their_calls_can_move_to_other_tasks() {
    let page = Browser::new(APP);
    let call = tokio::spawn(async move { page.fetch(app(), get_with("/items/1", None)).await });
    let response = call.await.expect("the task ran").expect("allowed");
    assert_eq!(response.body().as_ref(), b"item");
}
