//! Origins read from the environment at startup: a valid value works end to end, a bad or
//! missing one stops the program when the router is built, naming the variable, the entry and
//! the fix.
//!
//! Each case runs this test binary again as a child process with the variable set, since the
//! environment belongs to the whole process; the child cases are ignored unless run that way.

use std::process::{Command, Output};

use axum::Router;
use axum::body::Body;
use axum::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN};
use axum::http::{Request, StatusCode};
use axum::routing::{get, post};
use cors_runtime::{cors, cors_policy};
use tower::ServiceExt;

const VARIABLE: &str = "CORS_RUNTIME_TEST_ORIGINS";

#[cors(origins = env("CORS_RUNTIME_TEST_ORIGINS"), credentials, methods = [GET])]
async fn items() -> &'static str {
    "items"
}

cors_policy!(
    STAFF,
    origins = env("CORS_RUNTIME_TEST_ORIGINS"),
    credentials
);

#[cors(policy = STAFF)]
async fn staff() -> &'static str {
    "staff"
}

#[cors(origins = env("CORS_RUNTIME_TEST_ORIGINS"), csrf)]
async fn transfer() -> &'static str {
    "transfer"
}

/// The app as a program builds it at startup, reading the variable.
fn app() -> Router {
    Router::new()
        .route("/items", get(items).layer(items::layer()))
        .route("/staff", get(staff).layer(staff::layer()))
        .route("/transfer", post(transfer).layer(transfer::layer()))
        .with_state(())
}

/// Runs the ignored test `name` in a child process, with the variable set to `value`.
fn child(name: &str, value: Option<&str>) -> Output {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args(["--ignored", "--exact", name, "--test-threads=1"]);
    match value {
        Some(value) => command.env(VARIABLE, value),
        None => command.env_remove(VARIABLE),
    };
    let output = command.output().unwrap();
    // a misspelt name would run nothing and pass
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("running 1 test"),
        "{name} did not run: {stdout}"
    );
    output
}

#[tokio::test]
#[ignore = "run by the tests below, with the environment they set"]
async fn child_serves_the_origins_of_the_environment() {
    for (path, origin, granted) in [
        ("/items", "https://app.example.com", true),
        ("/items", "https://a.example.org", true),
        ("/items", "https://evil.example.net", false),
        ("/staff", "https://admin.example.org", true),
    ] {
        let request = Request::get(path)
            .header(ORIGIN, origin)
            .body(Body::empty())
            .unwrap();
        let response = app().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let allowed = response.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN);
        assert_eq!(allowed.is_some(), granted, "{path} {origin}");
    }
    // `csrf` trusts the origins of the environment, and no other
    for (origin, status) in [
        ("https://app.example.com", StatusCode::OK),
        ("https://a.example.org", StatusCode::OK),
        ("https://evil.example.net", StatusCode::FORBIDDEN),
    ] {
        let request = Request::post("/transfer")
            .header(ORIGIN, origin)
            .header("sec-fetch-site", "cross-site")
            .body(Body::empty())
            .unwrap();
        let response = app().oneshot(request).await.unwrap();
        assert_eq!(response.status(), status, "{origin}");
    }
}

#[test]
#[ignore = "run by the tests below, with the environment they set"]
fn child_builds_the_protected_route() {
    let _layer = transfer::layer();
}

#[test]
#[ignore = "run by the tests below, with the environment they set"]
fn child_builds_the_router() {
    let _app = app();
}

#[test]
#[ignore = "run by the tests below, with the environment they set"]
fn child_reports_every_bad_policy_at_once() {
    let errors: Vec<String> = cors_runtime::audit::environment_errors()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(
        errors
            .iter()
            .any(|error| error.contains("the CORS policy of `items`"))
    );
    assert!(
        errors
            .iter()
            .any(|error| error.contains("the CORS policy of `STAFF`"))
    );
    assert!(
        errors
            .iter()
            .any(|error| error.contains("the CORS policy of `transfer`"))
    );
    assert!(
        errors
            .iter()
            .all(|error| error.contains("`ftp://example.com`"))
    );
}

#[test]
fn every_bad_policy_is_reported_at_once_without_stopping() {
    let output = child(
        "child_reports_every_bad_policy_at_once",
        Some("ftp://example.com"),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn a_valid_value_is_served_end_to_end() {
    let output = child(
        "child_serves_the_origins_of_the_environment",
        Some(" https://app.example.com, https://*.example.org ,"),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn a_bad_entry_stops_startup_with_the_variable_the_entry_and_the_fix() {
    let output = child(
        "child_builds_the_router",
        Some("https://app.example.com/,http://intranet.example.com"),
    );
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "the CORS policy of `items`",
        "reads its origins from `CORS_RUNTIME_TEST_ORIGINS`",
        "`https://app.example.com/`: origin must not end with `/`",
        "write `\"https://app.example.com\"`",
        "`http://intranet.example.com`: a plain `http://` origin with `credentials`",
    ] {
        assert!(
            message.contains(needle),
            "{needle:?} missing from {message}"
        );
    }
}

#[test]
fn a_missing_variable_stops_startup_saying_how_to_set_it() {
    let output = child("child_builds_the_router", None);
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stdout);
    assert!(
        message.contains("reads its origins from `CORS_RUNTIME_TEST_ORIGINS`, which is not set; set it to the allowed origins separated by commas"),
        "{message}"
    );
}

#[test]
fn a_wildcard_with_credentials_is_refused_at_startup_as_at_compile_time() {
    let output = child("child_builds_the_router", Some("*"));
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stdout);
    assert!(
        message.contains("`*` cannot be combined with `credentials`"),
        "{message}"
    );
}

#[test]
fn a_wildcard_with_csrf_is_refused_at_startup_as_at_compile_time() {
    let output = child("child_builds_the_protected_route", Some("*"));
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stdout);
    assert!(
        message.contains("`csrf` with `*` would trust every origin; list the origins whose pages may write, or remove `csrf`"),
        "{message}"
    );
}
