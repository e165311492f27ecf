//! Every refusal is a `tracing` event that names the handler, where it is declared and why.

use std::io;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::header::{
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, UPGRADE,
};
use axum::http::{HeaderName, Method, Request, StatusCode};
use axum::routing::get;
use cors_runtime::{cors, cors_policy};
use tower::ServiceExt;
use tracing_subscriber::fmt::MakeWriter;

/// The line of `items`' name, which its events give as its location.
const ITEMS_LINE: u32 = line!() + 3;
#[cors(origins = ["https://app.example.com"], methods = [GET, POST],
       headers = ["content-type", "x-api-key"])]
async fn items() -> &'static str {
    "items"
}

/// The line of `transfer`'s name.
const TRANSFER_LINE: u32 = line!() + 2;
#[cors(origins = ["https://app.example.com"], csrf)]
async fn transfer() -> &'static str {
    "transfer"
}

cors_policy!(
    SHARED,
    origins = ["https://app.example.com"],
    methods = [GET]
);

#[cors(policy = SHARED)]
async fn first() -> &'static str {
    "first"
}

#[cors(policy = SHARED)]
async fn second() -> &'static str {
    "second"
}

fn app() -> Router {
    Router::new()
        .route("/items", get(items).post(items).layer(items::layer()))
        .route("/first", get(first).layer(first::layer()))
        .route("/second", get(second).layer(second::layer()))
        .route(
            "/transfer",
            get(transfer).post(transfer).layer(transfer::layer()),
        )
        .with_state(())
}

/// Log lines written to memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Self;

    fn make_writer(&'a self) -> Self {
        self.clone()
    }
}

/// What the layer logs, at `level` and above, while answering one request.
fn logged(
    level: tracing::Level,
    path: &str,
    method: Method,
    headers: &[(HeaderName, &str)],
) -> (StatusCode, String) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    let request = request.body(Body::empty()).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let status = tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(app().oneshot(request)).unwrap().status()
    });
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    (status, text)
}

fn refusal(path: &str, method: Method, headers: &[(HeaderName, &str)]) -> String {
    let (_, text) = logged(tracing::Level::DEBUG, path, method, headers);
    text
}

#[track_caller]
fn assert_explained(text: &str, handler: &str, line: u32, reason: &str) {
    let location = format!("location={}:{line}", file!());
    for needle in [
        "CORS request refused",
        &format!("handler=\"{handler}\""),
        &location,
        reason,
    ] {
        assert!(text.contains(needle), "{needle:?} missing from {text:?}");
    }
}

#[test]
fn a_forged_write_and_a_foreign_websocket_handshake_refused_by_csrf_are_explained() {
    let evil = (ORIGIN, "https://evil.example.net");
    let cross_site = (HeaderName::from_static("sec-fetch-site"), "cross-site");
    let text = refusal("/transfer", Method::POST, &[evil.clone(), cross_site]);
    assert_explained(
        &text,
        "transfer",
        TRANSFER_LINE,
        "a write marked cross-origin by `Sec-Fetch-Site` (`cross-site`) from an origin the policy does not allow",
    );
    let text = refusal("/transfer", Method::GET, &[evil, (UPGRADE, "websocket")]);
    assert_explained(
        &text,
        "transfer",
        TRANSFER_LINE,
        "a WebSocket handshake whose `Origin` is neither the request's host nor allowed",
    );
}

#[test]
fn an_unlisted_origin_is_named_in_the_refusal() {
    let text = refusal(
        "/items",
        Method::GET,
        &[(ORIGIN, "https://evil.example.net")],
    );
    assert_explained(
        &text,
        "items",
        ITEMS_LINE,
        "origin `https://evil.example.net` is not allowed",
    );
}

#[test]
fn malformed_and_repeated_origins_are_explained() {
    let text = refusal(
        "/items",
        Method::GET,
        &[(ORIGIN, "https://app.example.com/")],
    );
    assert_explained(
        &text,
        "items",
        ITEMS_LINE,
        "`Origin` is not a serialized origin",
    );
    let two = [
        (ORIGIN, "https://app.example.com"),
        (ORIGIN, "https://app.example.com"),
    ];
    let text = refusal("/items", Method::GET, &two);
    assert_explained(&text, "items", ITEMS_LINE, "more than one `Origin` header");
}

#[test]
fn an_unlisted_method_is_explained_with_the_listed_ones() {
    let preflight = [
        (ORIGIN, "https://app.example.com"),
        (ACCESS_CONTROL_REQUEST_METHOD, "PATCH"),
    ];
    let text = refusal("/items", Method::OPTIONS, &preflight);
    assert_explained(
        &text,
        "items",
        ITEMS_LINE,
        "no policy on this route lists method `PATCH` (this handler's lists `GET, POST`)",
    );
}

#[test]
fn an_unlisted_header_is_explained_with_the_listed_ones() {
    let preflight = [
        (ORIGIN, "https://app.example.com"),
        (ACCESS_CONTROL_REQUEST_METHOD, "POST"),
        (ACCESS_CONTROL_REQUEST_HEADERS, "content-type,x-foo"),
    ];
    let text = refusal("/items", Method::OPTIONS, &preflight);
    assert_explained(
        &text,
        "items",
        ITEMS_LINE,
        "header `x-foo` is not in `content-type, x-api-key`",
    );
}

#[test]
fn unprintable_bytes_are_escaped_in_the_log() {
    let preflight = [
        (ORIGIN, "https://app.example.com"),
        (ACCESS_CONTROL_REQUEST_METHOD, "POST"),
        (ACCESS_CONTROL_REQUEST_HEADERS, "x-\tfoo"),
    ];
    let text = refusal("/items", Method::OPTIONS, &preflight);
    assert!(text.contains(r"header `x-\tfoo` is not in"), "{text}");
}

#[test]
fn handlers_sharing_a_named_policy_log_their_own_names() {
    let (first_line, second_line) = (
        first::layer().handler().line(),
        second::layer().handler().line(),
    );
    let text = refusal(
        "/first",
        Method::GET,
        &[(ORIGIN, "https://evil.example.net")],
    );
    assert_explained(
        &text,
        "first",
        first_line,
        "origin `https://evil.example.net` is not allowed",
    );
    let text = refusal(
        "/second",
        Method::GET,
        &[(ORIGIN, "https://evil.example.net")],
    );
    assert_explained(
        &text,
        "second",
        second_line,
        "origin `https://evil.example.net` is not allowed",
    );
}

#[test]
fn grants_are_logged_at_trace_and_silent_at_debug() {
    let origin = [(ORIGIN, "https://app.example.com")];
    let (status, text) = logged(tracing::Level::DEBUG, "/items", Method::GET, &origin);
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text, "");
    let (_, text) = logged(tracing::Level::TRACE, "/items", Method::GET, &origin);
    assert!(
        text.contains("CORS request granted") && text.contains("handler=\"items\""),
        "{text}"
    );
}
