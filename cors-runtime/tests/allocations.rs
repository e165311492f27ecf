//! Heap allocations per request, counted by a counting global allocator: the layer adds none to
//! what axum allocates for any layer, on every path.
//!
//! Run with `cargo test -p cors-runtime --test allocations -- --nocapture` to see the table.

use std::convert::Infallible;

use axum::Router;
use axum::body::Body;
use axum::http::header::{
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, CONTENT_TYPE, ORIGIN, UPGRADE,
};
use axum::http::{HeaderName, HeaderValue, Method, Request, Response};
use axum::routing::{MethodRouter, get};
use bytes::BytesMut;
use cors_runtime::{Origins, cors};
use tower::util::MapRequestLayer;
use tower::{Layer, ServiceExt, service_fn};

#[cors(origins = ["https://app.example.com", "https://*.example.org"], credentials,
       methods = [GET, POST], headers = ["content-type", "x-api-key"],
       expose = ["x-request-id"], max_age = 600)]
async fn credentialed() -> &'static str {
    "credentialed"
}

#[cors(origins = ["https://app.example.com"], credentials, methods = ["*"], headers = ["*"])]
async fn echoing() -> &'static str {
    "echoing"
}

/// The origins of `credentialed`, in a set filled at run time.
static ORIGINS: Origins = Origins::new();

#[cors(origins = ORIGINS, credentials,
       methods = [GET, POST], headers = ["content-type", "x-api-key"],
       expose = ["x-request-id"], max_age = 600)]
async fn from_set() -> &'static str {
    "credentialed"
}

#[cors(origins = ["*"], expose = ["x-request-id"])]
async fn public() -> &'static str {
    "public"
}

#[cors(origins = ["https://app.example.com"], credentials, csrf)]
async fn protected() -> &'static str {
    "protected"
}

/// A header value shaped like one hyper parses: a slice of a shared read buffer, whose clone
/// only bumps a reference count.
fn parsed(value: &str) -> HeaderValue {
    let mut buffer = BytesMut::from(value.as_bytes());
    HeaderValue::from_maybe_shared(buffer.split().freeze()).unwrap()
}

struct Case {
    name: &'static str,
    path: &'static str,
    method: Method,
    headers: Vec<(HeaderName, &'static str)>,
}

const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

fn cases() -> Vec<Case> {
    let case = |name, path, method, headers| Case {
        name,
        path,
        method,
        headers,
    };
    let preflight = |origin, method, headers: Option<&'static str>| {
        let mut pairs = vec![(ORIGIN, origin), (ACCESS_CONTROL_REQUEST_METHOD, method)];
        pairs.extend(headers.map(|h| (ACCESS_CONTROL_REQUEST_HEADERS, h)));
        pairs
    };
    vec![
        case(
            "preflight allowed",
            "/c",
            Method::OPTIONS,
            preflight(
                "https://app.example.com",
                "POST",
                Some("content-type,x-api-key"),
            ),
        ),
        case(
            "preflight allowed, no ACRH",
            "/c",
            Method::OPTIONS,
            preflight("https://app.example.com", "POST", None),
        ),
        case(
            "preflight allowed, echoed",
            "/e",
            Method::OPTIONS,
            preflight(
                "https://app.example.com",
                "PROPFIND",
                Some("content-type,x-api-key"),
            ),
        ),
        case(
            "preflight refused: origin",
            "/c",
            Method::OPTIONS,
            preflight("https://evil.example.net", "POST", None),
        ),
        case(
            "preflight refused: header",
            "/c",
            Method::OPTIONS,
            preflight("https://app.example.com", "POST", Some("x-secret")),
        ),
        case(
            "preflight refused: method",
            "/c",
            Method::OPTIONS,
            preflight("https://app.example.com", "PUT", None),
        ),
        case(
            "actual allowed: listed",
            "/c",
            Method::GET,
            vec![(ORIGIN, "https://app.example.com")],
        ),
        case(
            "actual allowed: pattern",
            "/c",
            Method::GET,
            vec![(ORIGIN, "https://a.example.org")],
        ),
        case(
            "actual refused: origin",
            "/c",
            Method::GET,
            vec![(ORIGIN, "https://evil.example.net")],
        ),
        case(
            "actual refused: malformed",
            "/c",
            Method::GET,
            vec![(ORIGIN, "https://app.example.com/")],
        ),
        case("no Origin", "/c", Method::GET, vec![]),
        case(
            "any origin",
            "/p",
            Method::GET,
            vec![(ORIGIN, "https://evil.example.net")],
        ),
        case("any origin, no Origin", "/p", Method::GET, vec![]),
    ]
    .into_iter()
    .chain(csrf_cases())
    .collect()
}

/// The requests `csrf` judges, on a policy that has it.
fn csrf_cases() -> Vec<Case> {
    let case = |name, method, headers| Case {
        name,
        path: "/w",
        method,
        headers,
    };
    vec![
        case(
            "csrf: cross-site write, allowed",
            Method::POST,
            vec![
                (ORIGIN, "https://app.example.com"),
                (SEC_FETCH_SITE, "cross-site"),
            ],
        ),
        case(
            "csrf: same-origin write",
            Method::POST,
            vec![
                (ORIGIN, "https://app.example.com"),
                (SEC_FETCH_SITE, "same-origin"),
            ],
        ),
        case(
            "csrf refused: write",
            Method::POST,
            vec![
                (ORIGIN, "https://evil.example.net"),
                (SEC_FETCH_SITE, "cross-site"),
            ],
        ),
        case(
            "csrf refused: handshake",
            Method::GET,
            vec![(ORIGIN, "https://evil.example.net"), (UPGRADE, "websocket")],
        ),
    ]
}

fn request(case: &Case) -> Request<Body> {
    let mut request = Request::builder()
        .method(case.method.clone())
        .uri(case.path);
    for (name, value) in &case.headers {
        request = request.header(name, parsed(value));
    }
    request.body(Body::empty()).unwrap()
}

fn count<F: Future<Output = Result<Response<B>, Infallible>>, B>(
    runtime: &tokio::runtime::Runtime,
    future: F,
) -> u64 {
    let mut response = None;
    let info = allocation_counter::measure(|| {
        response = Some(runtime.block_on(future));
    });
    drop(response);
    info.count_total
}

fn with_cors() -> Router {
    routes(
        get(credentialed)
            .post(credentialed)
            .layer(credentialed::layer()),
    )
}

/// The test's routes, `/c` served by `credentialed`: its policy's origins listed in the source
/// or taken from a set.
fn routes(credentialed: MethodRouter) -> Router {
    Router::new()
        .route("/c", credentialed)
        .route("/e", get(echoing).options(echoing).layer(echoing::layer()))
        .route("/p", get(public).layer(public::layer()))
        .route(
            "/w",
            get(protected).post(protected).layer(protected::layer()),
        )
        // as `axum::serve` does: routes are finished once, not on every request
        .with_state(())
}

/// The same routes behind a layer that does nothing but be a layer: axum boxes a layered route,
/// which costs allocations of its own (`Identity` would be skipped, so it is no baseline).
fn with_empty_layer() -> Router {
    let empty = || MapRequestLayer::new(std::convert::identity::<Request<Body>>);
    Router::new()
        .route("/c", get(credentialed).post(credentialed).layer(empty()))
        .route("/e", get(echoing).options(echoing).layer(empty()))
        .route("/p", get(public).layer(empty()))
        .route("/w", get(protected).post(protected).layer(empty()))
        .with_state(())
}

#[test]
fn the_layer_allocates_nothing_beyond_what_axum_allocates_for_any_layer() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let (ours, empty) = (with_cors(), with_empty_layer());
    println!(
        "{:<28} {:>10} {:>12} {:>14}",
        "path", "our layer", "empty layer", "layer alone"
    );
    for case in cases() {
        // warm up lazily initialised state before counting
        count(&runtime, ours.clone().oneshot(request(&case)));
        count(&runtime, empty.clone().oneshot(request(&case)));
        let with_ours = count(&runtime, ours.clone().oneshot(request(&case)));
        let with_empty = count(&runtime, empty.clone().oneshot(request(&case)));
        let alone = layer_alone(&runtime, &case);
        println!(
            "{:<28} {with_ours:>10} {with_empty:>12} {alone:>14}",
            case.name
        );
        assert!(
            with_ours <= with_empty,
            "{}: {with_ours} allocations with the layer, {with_empty} with an empty layer",
            case.name
        );
        // an actual request costs the layer nothing; a preflight it answers costs the header
        // map of its own response (two blocks), which replaces the handler's response; one it
        // passes on for a method it does not list, then answers with its lists, also costs the
        // marker on the passed-on request (two blocks: the extensions and their table); a
        // request `csrf` refuses costs the header map of its `403`, as a refused preflight does
        let budget = match case.method {
            Method::OPTIONS if case.name == "preflight refused: method" => 4,
            Method::OPTIONS => 2,
            _ if case.name.starts_with("csrf refused") => 2,
            _ => 0,
        };
        assert!(
            alone <= budget,
            "{}: the layer alone allocated {alone}",
            case.name
        );
    }
}

/// Allocations of the layer around a service that allocates nothing itself, minus that service's.
fn layer_alone(runtime: &tokio::runtime::Runtime, case: &Case) -> u64 {
    let layer = match case.path {
        "/p" => public::layer(),
        "/e" => echoing::layer(),
        "/w" => protected::layer(),
        _ => credentialed::layer(),
    };
    // the handler's response is built before counting, as an already-allocated header map
    let handler_response = || {
        let mut response = Response::new(Body::empty());
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        response
    };
    // shared, so that the service is `Clone` as a layer's inner service must be
    let inner = |response: Response<Body>| {
        let response = std::sync::Arc::new(std::sync::Mutex::new(Some(response)));
        service_fn(move |_: Request<Body>| {
            let response = response.lock().unwrap().take();
            async move { Ok::<_, Infallible>(response.unwrap_or_default()) }
        })
    };
    let layered = count(
        runtime,
        layer
            .layer(inner(handler_response()))
            .oneshot(request(case)),
    );
    let bare = count(runtime, inner(handler_response()).oneshot(request(case)));
    layered.saturating_sub(bare)
}

/// The routes of [`with_cors`], `credentialed`'s policy taking its origins from a set.
fn with_set() -> Router {
    ORIGINS
        .replace(["https://app.example.com", "https://*.example.org"])
        .unwrap();
    routes(get(from_set).post(from_set).layer(from_set::layer()))
}

#[test]
fn origins_from_a_set_allocate_what_a_list_in_the_source_allocates() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let (listed, set) = (with_cors(), with_set());
    println!("{:<28} {:>10} {:>10}", "path", "listed", "set");
    for case in cases() {
        count(&runtime, listed.clone().oneshot(request(&case)));
        count(&runtime, set.clone().oneshot(request(&case)));
        let with_list = count(&runtime, listed.clone().oneshot(request(&case)));
        let with_set = count(&runtime, set.clone().oneshot(request(&case)));
        println!("{:<28} {with_list:>10} {with_set:>10}", case.name);
        assert_eq!(with_set, with_list, "{}", case.name);
    }
}
