//! Configurations as the tutorials write them: `*` request headers and methods with
//! credentials, served by echoing the preflight; `OPTIONS` as a method of its own; and the
//! origins that app webviews and browser extensions send.

mod support;

use axum::Router;
use axum::body::Body;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, COOKIE, ORIGIN,
};
use axum::http::{HeaderName, HeaderValue, Method, Response, StatusCode};
use axum::routing::{any, get};
use cors_runtime::cors;
use support::{body, h, header, vary};

const FRONTEND: &str = "https://your-frontend.com";
const EVIL: &str = "https://evil.example.net";
const CHROME_EXTENSION: &str = "chrome-extension://abcdefghijklmnopabcdefghijklmnop";
const FIREFOX_EXTENSION: &str = "moz-extension://0b4c5a3e-6f1d-4c2b-9a8e-7d6f5e4c3b2a";

// the configuration of the FastAPI tutorial, word for word
#[cors(origins = ["http://localhost:3000", "https://your-frontend.com",
                  "https://staging.your-frontend.com"],
       credentials, methods = [GET, POST, PUT, DELETE, OPTIONS], headers = ["*"])]
async fn items(method: Method) -> String {
    format!("{method} items")
}

#[cors(origins = ["https://example.com"], credentials, methods = ["*"],
       headers = ["*", "authorization"])]
async fn everything() -> &'static str {
    "everything"
}

#[cors(origins = ["https://example.com"], headers = ["*"])]
async fn public_headers() -> &'static str {
    "public headers"
}

#[cors(origins = ["capacitor://localhost", "ionic://localhost", "tauri://localhost",
                  "http://tauri.localhost", "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
                  "moz-extension://0b4c5a3e-6f1d-4c2b-9a8e-7d6f5e4c3b2a",
                  "vscode-webview://1ipefr3mb7nqtbqlhvb7v1p4fafmbghuib1mrs3pvc01ui1"],
       credentials, methods = [GET, PUT], headers = ["content-type"])]
async fn app_data() -> &'static str {
    "app data"
}

fn app() -> Router {
    Router::new()
        .route("/items", any(items).layer(items::layer()))
        .route("/everything", any(everything).layer(everything::layer()))
        .route(
            "/public",
            get(public_headers).layer(public_headers::layer()),
        )
        .route("/app", get(app_data).put(app_data).layer(app_data::layer()))
}

async fn send(method: Method, path: &str, headers: &[(HeaderName, HeaderValue)]) -> Response<Body> {
    support::send(app(), method, path, headers).await
}

async fn preflight(path: &str, origin: &str, method: &str, headers: &str) -> Response<Body> {
    let mut pairs = vec![h(ORIGIN, origin), h(ACCESS_CONTROL_REQUEST_METHOD, method)];
    if !headers.is_empty() {
        pairs.push(h(ACCESS_CONTROL_REQUEST_HEADERS, headers));
    }
    send(Method::OPTIONS, path, &pairs).await
}

/// A granted preflight from `origin`, with credentials.
#[track_caller]
fn assert_granted(response: &Response<Body>, origin: &str) {
    assert_eq!(response.status(), StatusCode::NO_CONTENT, "{origin}");
    assert_eq!(header(response, &ACCESS_CONTROL_ALLOW_ORIGIN), Some(origin));
    assert_eq!(
        header(response, &ACCESS_CONTROL_ALLOW_CREDENTIALS),
        Some("true")
    );
}

#[track_caller]
fn assert_refused(response: &Response<Body>) {
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    support::assert_no_cors_headers(response, "refused preflight");
}

#[tokio::test]
async fn a_credentialed_put_with_a_custom_header_is_granted_with_its_headers_echoed() {
    let response = preflight("/items", FRONTEND, "PUT", "content-type,x-custom-header").await;
    assert_granted(&response, FRONTEND);
    assert_eq!(
        header(&response, &ACCESS_CONTROL_ALLOW_METHODS),
        Some("GET, POST, PUT, DELETE, OPTIONS")
    );
    assert_eq!(
        header(&response, &ACCESS_CONTROL_ALLOW_HEADERS),
        Some("content-type,x-custom-header")
    );
    assert_eq!(vary(&response), ["origin, access-control-request-headers"]);

    let put = send(
        Method::PUT,
        "/items",
        &[
            h(ORIGIN, FRONTEND),
            h(COOKIE, "session=1"),
            h(HeaderName::from_static("x-custom-header"), "yes"),
        ],
    )
    .await;
    assert_eq!(header(&put, &ACCESS_CONTROL_ALLOW_ORIGIN), Some(FRONTEND));
    assert_eq!(
        header(&put, &ACCESS_CONTROL_ALLOW_CREDENTIALS),
        Some("true")
    );
    assert_eq!(vary(&put), ["origin"]);
    assert_eq!(body(put).await, "PUT items");
}

#[tokio::test]
async fn the_same_put_from_an_unlisted_origin_is_refused() {
    assert_refused(&preflight("/items", EVIL, "PUT", "content-type,x-custom-header").await);
    let put = send(Method::PUT, "/items", &[h(ORIGIN, EVIL)]).await;
    support::assert_no_cors_headers(&put, "actual request from an unlisted origin");
}

#[tokio::test]
async fn every_echoing_preflight_answer_varies_with_what_it_echoes() {
    let granted = preflight("/everything", "https://example.com", "PROPFIND", "x-a").await;
    assert_eq!(
        header(&granted, &ACCESS_CONTROL_ALLOW_METHODS),
        Some("PROPFIND")
    );
    assert_eq!(header(&granted, &ACCESS_CONTROL_ALLOW_HEADERS), Some("x-a"));
    let both = "origin, access-control-request-method, access-control-request-headers";
    assert_eq!(vary(&granted), [both]);
    let refused = preflight("/everything", EVIL, "PROPFIND", "x-a").await;
    assert_refused(&refused);
    assert_eq!(vary(&refused), [both]);
}

#[tokio::test]
async fn a_preflight_without_requested_headers_gets_no_allow_headers() {
    let response = preflight("/items", FRONTEND, "DELETE", "").await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(&response, &ACCESS_CONTROL_ALLOW_HEADERS), None);
}

#[tokio::test]
async fn a_star_never_covers_authorization_with_or_without_credentials() {
    // both origins are allowed, so the refusal carries the policy's own `*`, never an echo of
    // `authorization`: the browser blocks the call and names the header
    for refused in [
        preflight("/items", FRONTEND, "PUT", "authorization,x-a").await,
        preflight("/public", "https://example.com", "GET", "authorization").await,
    ] {
        assert_eq!(refused.status(), StatusCode::NO_CONTENT);
        assert_eq!(header(&refused, &ACCESS_CONTROL_ALLOW_HEADERS), Some("*"));
        assert_eq!(header(&refused, &ACCESS_CONTROL_MAX_AGE), None);
    }
    let public = preflight("/public", "https://example.com", "GET", "x-a").await;
    assert_eq!(header(&public, &ACCESS_CONTROL_ALLOW_HEADERS), Some("*"));
}

#[tokio::test]
async fn authorization_listed_beside_a_star_is_echoed_with_credentials() {
    let response = preflight("/everything", "https://example.com", "PUT", "authorization").await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        header(&response, &ACCESS_CONTROL_ALLOW_HEADERS),
        Some("authorization")
    );
}

#[tokio::test]
async fn the_preflight_of_a_scripts_own_options_request_is_granted() {
    let response = preflight("/items", FRONTEND, "OPTIONS", "x-custom-header").await;
    assert_granted(&response, FRONTEND);
    assert!(
        body(response).await.is_empty(),
        "the preflight reached the handler"
    );
}

#[tokio::test]
async fn an_actual_options_request_reaches_the_handler_and_gets_the_grant() {
    let response = send(Method::OPTIONS, "/items", &[h(ORIGIN, FRONTEND)]).await;
    assert_eq!(
        header(&response, &ACCESS_CONTROL_ALLOW_ORIGIN),
        Some(FRONTEND)
    );
    assert_eq!(
        header(&response, &ACCESS_CONTROL_ALLOW_CREDENTIALS),
        Some("true")
    );
    assert_eq!(body(response).await, "OPTIONS items");
}

#[tokio::test]
async fn app_and_extension_origins_are_granted_as_they_are_sent() {
    for origin in [
        "capacitor://localhost",
        "ionic://localhost",
        "tauri://localhost",
        "http://tauri.localhost",
        CHROME_EXTENSION,
        FIREFOX_EXTENSION,
        "vscode-webview://1ipefr3mb7nqtbqlhvb7v1p4fafmbghuib1mrs3pvc01ui1",
    ] {
        let response = send(Method::GET, "/app", &[h(ORIGIN, origin)]).await;
        assert_eq!(
            header(&response, &ACCESS_CONTROL_ALLOW_ORIGIN),
            Some(origin)
        );
        let response = preflight("/app", origin, "PUT", "content-type").await;
        assert_granted(&response, origin);
    }
}

#[tokio::test]
async fn other_apps_and_extensions_are_refused() {
    for origin in [
        "chrome-extension://bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "chrome-extension://abcdefghijklmnopabcdefghijklmnop/",
        "capacitor://localhost.evil.com",
        "capacitor://localhost:8080",
        "Capacitor://localhost",
        "moz-extension://0B4C5A3E-6F1D-4C2B-9A8E-7D6F5E4C3B2A",
        "null",
    ] {
        let response = send(Method::GET, "/app", &[h(ORIGIN, origin)]).await;
        support::assert_no_cors_headers(&response, origin);
        assert_refused(&preflight("/app", origin, "PUT", "content-type").await);
    }
}

#[test]
fn origins_read_at_startup_take_app_and_extension_origins_by_the_same_rules() {
    let entries = ["capacitor://localhost", CHROME_EXTENSION];
    assert!(cors_rules::config::check_origins(&entries, true, false, false).is_ok());
    let problems = cors_rules::config::check_origins(&["chrome-extension://*"], true, false, false)
        .expect_err("a wildcard extension origin");
    assert!(
        problems[0].message.contains("anyone can publish one"),
        "{problems:?}"
    );
}
