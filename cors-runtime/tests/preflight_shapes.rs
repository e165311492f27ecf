//! A preflight never runs a handler, whatever the shape of the route: each handler here counts
//! its calls, and every preflight (for a listed method, an unlisted one, from a foreign origin)
//! leaves the count at zero.

mod support;

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use axum::http::{HeaderValue, Method, Request, Response, StatusCode};
use axum::routing::{MethodFilter, any, get, on};
use cors_runtime::cors;
use tower::Layer;
use tower::util::BoxCloneSyncService;

const READER: &str = "https://reader.example.com";
const WRITER: &str = "https://writer.example.com";
const EVIL: &str = "https://evil.example.net";

#[cors(origins = ["https://reader.example.com"], methods = [GET])]
async fn read() -> &'static str {
    "read"
}

#[cors(origins = ["https://writer.example.com"], methods = [DELETE])]
async fn delete() -> &'static str {
    "deleted"
}

/// Counts the calls of the handlers it makes.
#[derive(Clone, Default)]
struct Calls(Arc<AtomicUsize>);

impl Calls {
    /// A handler that counts its calls.
    fn handler(
        &self,
    ) -> impl Fn() -> std::future::Ready<&'static str> + Clone + Send + Sync + use<> {
        let calls = self.0.clone();
        move || {
            calls.fetch_add(1, Ordering::SeqCst);
            std::future::ready("handler")
        }
    }

    /// A plain tower service that counts its calls.
    fn service(&self) -> BoxCloneSyncService<Request<Body>, Response<Body>, Infallible> {
        let calls = self.0.clone();
        let service = tower::service_fn(move |_: Request<Body>| {
            calls.fetch_add(1, Ordering::SeqCst);
            std::future::ready(Ok::<_, Infallible>(Response::new(Body::from("service"))))
        });
        BoxCloneSyncService::new(service)
    }

    fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Sends a preflight from `origin` asking for `method` to `path`.
async fn send_preflight(app: &Router, path: &str, origin: &str, method: &str) -> Response<Body> {
    let headers = [
        (ORIGIN, HeaderValue::from_str(origin).unwrap()),
        (
            ACCESS_CONTROL_REQUEST_METHOD,
            HeaderValue::from_str(method).unwrap(),
        ),
    ];
    support::send(app.clone(), Method::OPTIONS, path, &headers).await
}

/// The status and `Access-Control-Allow-Origin` of a preflight's answer; a refusal must carry no
/// CORS header at all.
async fn preflight(
    app: &Router,
    path: &str,
    origin: &str,
    method: &str,
) -> (StatusCode, Option<String>) {
    let response = send_preflight(app, path, origin, method).await;
    if response.status() == StatusCode::FORBIDDEN {
        support::assert_no_cors_headers(&response, method);
    }
    let origin = response
        .headers()
        .get(ACCESS_CONTROL_ALLOW_ORIGIN)
        .map(|value| value.to_str().unwrap().to_owned());
    (response.status(), origin)
}

/// Every preflight to `path` on a route whose only policy is `read`'s: granted for GET,
/// answered with the policy's lists for PUT, refused for a foreign origin; and the handler
/// never runs, while an actual request does run it.
async fn assert_preflights_skip_the_handler(app: Router, path: &str, calls: &Calls) {
    let granted = send_preflight(&app, path, READER, "GET").await;
    let unlisted = send_preflight(&app, path, READER, "PUT").await;
    support::assert_answered_like_a_grant(&unlisted, &granted, path);
    assert_eq!(
        preflight(&app, path, EVIL, "PUT").await,
        (StatusCode::FORBIDDEN, None)
    );
    assert_eq!(
        preflight(&app, path, EVIL, "GET").await,
        (StatusCode::FORBIDDEN, None)
    );
    assert_eq!(calls.count(), 0, "a preflight ran the handler on {path}");
    let request = Request::get(path)
        .header(ORIGIN, READER)
        .body(Body::empty())
        .unwrap();
    tower::ServiceExt::oneshot(app, request).await.unwrap();
    assert_eq!(
        calls.count(),
        1,
        "the actual request runs the handler on {path}"
    );
}

#[tokio::test]
async fn a_preflight_never_runs_a_get_handler() {
    let calls = Calls::default();
    let app = Router::new().route("/r", get(calls.handler()).layer(read::layer()));
    assert_preflights_skip_the_handler(app, "/r", &calls).await;
}

#[tokio::test]
async fn a_preflight_never_runs_an_any_handler() {
    let calls = Calls::default();
    let app = Router::new().route("/r", any(calls.handler()).layer(read::layer()));
    assert_preflights_skip_the_handler(app, "/r", &calls).await;
}

#[tokio::test]
async fn a_preflight_never_runs_a_handler_that_also_routes_options() {
    let calls = Calls::default();
    let filter = MethodFilter::GET.or(MethodFilter::OPTIONS);
    let app = Router::new().route("/r", on(filter, calls.handler()).layer(read::layer()));
    assert_preflights_skip_the_handler(app, "/r", &calls).await;
}

#[tokio::test]
async fn a_preflight_never_runs_a_route_service() {
    let calls = Calls::default();
    let app = Router::new().route_service("/r", read::layer().layer(calls.service()));
    assert_preflights_skip_the_handler(app, "/r", &calls).await;
}

#[tokio::test]
async fn a_preflight_never_runs_the_fallback() {
    let calls = Calls::default();
    let app = Router::new().fallback(calls.handler()).layer(read::layer());
    assert_preflights_skip_the_handler(app, "/anywhere", &calls).await;
}

#[tokio::test]
async fn a_preflight_never_runs_a_handler_of_a_nested_router() {
    let calls = Calls::default();
    let inner = Router::new().route("/r", any(calls.handler()).layer(read::layer()));
    let app = Router::new().nest("/api", inner);
    assert_preflights_skip_the_handler(app, "/api/r", &calls).await;
}

#[tokio::test]
async fn a_preflight_never_runs_a_nested_service() {
    let calls = Calls::default();
    let app = Router::new().nest_service("/api", read::layer().layer(calls.service()));
    assert_preflights_skip_the_handler(app, "/api/r", &calls).await;
}

#[tokio::test]
async fn a_preflight_never_runs_a_handler_of_a_router_nested_as_a_service() {
    let calls = Calls::default();
    let inner = Router::new()
        .route("/r", any(calls.handler()))
        .layer(read::layer());
    let app = Router::new().nest_service("/api", inner);
    assert_preflights_skip_the_handler(app, "/api/r", &calls).await;
}

/// Two policies on one path: each method's preflight is answered by its own handler's policy,
/// never by a sibling's, and no preflight runs either handler.
async fn assert_siblings_answer_without_handlers(app: Router, reads: &Calls, deletes: &Calls) {
    let (reader, writer) = (Some(READER.to_owned()), Some(WRITER.to_owned()));
    let no_content = StatusCode::NO_CONTENT;
    assert_eq!(
        preflight(&app, "/r", READER, "GET").await,
        (no_content, reader)
    );
    assert_eq!(
        preflight(&app, "/r", WRITER, "DELETE").await,
        (no_content, writer.clone())
    );
    assert_eq!(
        preflight(&app, "/r", READER, "DELETE").await,
        (StatusCode::FORBIDDEN, None)
    );
    assert_eq!(
        preflight(&app, "/r", WRITER, "GET").await,
        (StatusCode::FORBIDDEN, None)
    );
    assert_eq!(
        preflight(&app, "/r", EVIL, "PUT").await,
        (StatusCode::FORBIDDEN, None)
    );
    assert_eq!(
        reads.count() + deletes.count(),
        0,
        "a preflight ran a handler"
    );
}

#[tokio::test]
async fn siblings_on_one_path_answer_for_their_own_methods_and_run_no_handler() {
    let (reads, deletes) = (Calls::default(), Calls::default());
    let route = get(reads.handler())
        .layer(read::layer())
        .delete(deletes.handler())
        .layer(delete::layer());
    let app = Router::new().route("/r", route);
    assert_siblings_answer_without_handlers(app, &reads, &deletes).await;
}

#[tokio::test]
async fn siblings_whose_first_handler_routes_options_run_no_handler() {
    let (reads, deletes) = (Calls::default(), Calls::default());
    let filter = MethodFilter::GET.or(MethodFilter::OPTIONS);
    let route = on(filter, reads.handler())
        .layer(read::layer())
        .delete(deletes.handler())
        .layer(delete::layer());
    let app = Router::new().route("/r", route);
    assert_siblings_answer_without_handlers(app, &reads, &deletes).await;
}

#[tokio::test]
async fn a_router_wide_policy_over_a_routes_own_answers_for_what_it_lists_and_passes_on_the_rest() {
    let (reads, deletes) = (Calls::default(), Calls::default());
    let app = Router::new()
        .route(
            "/r",
            get(reads.handler())
                .layer(read::layer())
                .delete(deletes.handler()),
        )
        .layer(delete::layer());
    assert_siblings_answer_without_handlers(app, &reads, &deletes).await;
}

#[tokio::test]
async fn actual_requests_still_reach_each_handler_of_a_shared_path_with_its_own_grant() {
    let route = get(read)
        .layer(read::layer())
        .delete(delete)
        .layer(delete::layer());
    let app = Router::new().route("/r", route);
    for (method, origin, body) in [
        (Method::GET, READER, "read"),
        (Method::DELETE, WRITER, "deleted"),
    ] {
        let headers = [(ORIGIN, HeaderValue::from_static(origin))];
        let response = support::send(app.clone(), method, "/r", &headers).await;
        let granted = response.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).cloned();
        assert_eq!(granted, Some(HeaderValue::from_static(origin)));
        let bytes = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap();
        assert_eq!(bytes.to_bytes(), body);
    }
}
