//! The `WARN` of `cors_runtime::watch()`: a router-wide authentication layer written outside the
//! `#[cors]` layers answers preflights itself, and the app is told once per path and status
//! which order to write; in the right order nothing is logged.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::header::{ACCESS_CONTROL_REQUEST_METHOD, AUTHORIZATION, ORIGIN};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use cors_runtime::cors;
use tower::ServiceExt;

#[cors(origins = ["https://app.example.com"], methods = [GET, PUT], headers = ["authorization"])]
async fn account() -> &'static str {
    "account"
}

async fn auth(request: Request, next: Next) -> Result<Response, StatusCode> {
    if request.headers().contains_key(AUTHORIZATION) {
        Ok(next.run(request).await)
    } else {
        Err(StatusCode::UNAUTHORIZED)
    }
}

/// Log lines written to memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What is logged at `WARN` while `app` answers a preflight for `PUT` to `path` twice and an
/// unauthenticated `GET` once, with each status.
fn warnings(app: &Router, path: &str) -> (Vec<StatusCode>, String) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_writer({
            let captured = captured.clone();
            move || captured.clone()
        })
        .with_ansi(false)
        .finish();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let statuses = tracing::subscriber::with_default(subscriber, || {
        ["OPTIONS", "OPTIONS", "GET"]
            .map(|method| {
                let mut request = Request::builder()
                    .method(method)
                    .uri(path)
                    .header(ORIGIN, "https://app.example.com");
                if method == "OPTIONS" {
                    request = request.header(ACCESS_CONTROL_REQUEST_METHOD, "PUT");
                }
                let request = request.body(Body::empty()).unwrap();
                runtime
                    .block_on(app.clone().oneshot(request))
                    .unwrap()
                    .status()
            })
            .to_vec()
    });
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    (statuses, text)
}

#[test]
fn authentication_outside_the_policy_is_warned_about_once_per_path_and_status() {
    let app = Router::new()
        .route(
            "/outside",
            get(account).put(account).layer(account::layer()),
        )
        .layer(middleware::from_fn(auth))
        .layer(cors_runtime::watch());
    let (statuses, text) = warnings(&app, "/outside");
    assert_eq!(statuses, [StatusCode::UNAUTHORIZED; 3]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "one warning for `/outside` and 401:\n{text}"
    );
    assert!(lines[0].contains("WARN"), "{text}");
    assert!(lines[0].contains("path=\"/outside\""), "{text}");
    assert!(lines[0].contains("status=401"), "{text}");
    assert!(
        lines[0].contains("route_layer(auth)"),
        "says which order to write: {text}"
    );
    assert!(lines[0].contains("cors_runtime::outer"), "{text}");
}

#[test]
fn authentication_inside_the_policy_is_not_warned_about() {
    let app = Router::new()
        .route(
            "/inside",
            get(account)
                .put(account)
                .route_layer(middleware::from_fn(auth))
                .layer(account::layer()),
        )
        .layer(cors_runtime::watch());
    let (statuses, text) = warnings(&app, "/inside");
    assert_eq!(
        statuses,
        [
            StatusCode::NO_CONTENT,
            StatusCode::NO_CONTENT,
            StatusCode::UNAUTHORIZED
        ]
    );
    assert_eq!(text, "", "nothing to warn about");
}
