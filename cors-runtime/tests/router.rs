//! The layer inside a real axum `Router`: preflights, actual requests, `Vary`, bad `Origin`
//! headers and layers stacked on one path.

mod support;

use axum::Router;
use axum::body::Body;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use axum::http::{HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use cors_runtime::cors;
use http_body_util::BodyExt;
use tower::ServiceExt;

const APP: &str = "https://app.example.com";
const LOCAL: &str = "http://localhost:3000";
const EVIL: &str = "https://evil.example.net";

#[cors(origins = ["https://app.example.com", "http://localhost:3000"], credentials,
       methods = [GET, POST], headers = ["content-type", "x-api-key"],
       expose = ["x-request-id"], max_age = 600)]
async fn create_item(body: String) -> impl IntoResponse {
    ([("x-request-id", "42")], body)
}

#[cors(origins = ["*"], expose = ["x-request-id"])]
async fn public() -> &'static str {
    "public"
}

#[cors(origins = ["https://app.example.com"])]
async fn varied() -> impl IntoResponse {
    ([(VARY, "accept-encoding")], "varied")
}

#[cors(origins = ["https://app.example.com"])]
async fn already_varied() -> impl IntoResponse {
    ([(VARY, "Accept, Origin")], "already varied")
}

#[cors(origins = ["https://reader.example.com"], methods = [GET])]
async fn read() -> &'static str {
    "read"
}

#[cors(origins = ["https://writer.example.com"], credentials, methods = [POST, DELETE],
       headers = ["content-type"])]
async fn write() -> &'static str {
    "write"
}

#[cors(origins = ["https://*.example.org", "http://localhost:*"])]
async fn patterned() -> &'static str {
    "patterned"
}

fn app() -> Router {
    Router::new()
        .route(
            "/items",
            get(create_item)
                .post(create_item)
                .layer(create_item::layer()),
        )
        .route("/public", get(public).layer(public::layer()))
        .route("/varied", get(varied).layer(varied::layer()))
        .route(
            "/already-varied",
            get(already_varied).layer(already_varied::layer()),
        )
        .route(
            "/shared",
            get(read)
                .layer(read::layer())
                .post(write)
                .delete(write)
                .layer(write::layer()),
        )
        .route("/patterned", get(patterned).layer(patterned::layer()))
        .route("/no-policy", get(|| async { "no policy" }))
}

async fn send(method: Method, path: &str, headers: &[(HeaderName, HeaderValue)]) -> Response<Body> {
    support::send(app(), method, path, headers).await
}

fn h(name: HeaderName, value: &str) -> (HeaderName, HeaderValue) {
    (name, HeaderValue::from_str(value).unwrap())
}

async fn preflight(
    path: &str,
    origin: &str,
    method: &str,
    headers: Option<&str>,
) -> Response<Body> {
    let mut pairs = vec![h(ORIGIN, origin), h(ACCESS_CONTROL_REQUEST_METHOD, method)];
    if let Some(headers) = headers {
        pairs.push(h(ACCESS_CONTROL_REQUEST_HEADERS, headers));
    }
    send(Method::OPTIONS, path, &pairs).await
}

fn header<'a>(response: &'a Response<Body>, name: &HeaderName) -> Option<&'a str> {
    response.headers().get(name).map(|v| v.to_str().unwrap())
}

fn vary(response: &Response<Body>) -> Vec<&str> {
    response
        .headers()
        .get_all(VARY)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect()
}

async fn body(response: Response<Body>) -> String {
    String::from_utf8(
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap()
}

#[track_caller]
fn assert_no_cors_headers(response: &Response<Body>) {
    support::assert_no_cors_headers(response, "expected no CORS header");
}

#[tokio::test]
async fn an_allowed_preflight_is_answered_204_with_every_header_and_skips_the_handler() {
    let response = preflight("/items", APP, "POST", Some("content-type,x-api-key")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(&response, &ACCESS_CONTROL_ALLOW_ORIGIN), Some(APP));
    assert_eq!(
        header(&response, &ACCESS_CONTROL_ALLOW_CREDENTIALS),
        Some("true")
    );
    assert_eq!(
        header(&response, &ACCESS_CONTROL_ALLOW_METHODS),
        Some("GET, POST")
    );
    assert_eq!(
        header(&response, &ACCESS_CONTROL_ALLOW_HEADERS),
        Some("content-type, x-api-key")
    );
    assert_eq!(header(&response, &ACCESS_CONTROL_MAX_AGE), Some("600"));
    assert_eq!(header(&response, &ACCESS_CONTROL_EXPOSE_HEADERS), None);
    assert_eq!(vary(&response), ["origin"]);
    assert_eq!(body(response).await, "");
}

#[tokio::test]
async fn a_preflight_from_an_unlisted_origin_is_refused_and_discloses_no_policy() {
    let response = preflight("/items", EVIL, "POST", Some("content-type")).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_no_cors_headers(&response);
    assert_eq!(vary(&response), ["origin"]);
}

#[tokio::test]
async fn a_preflight_asking_for_an_unlisted_header_gets_the_policys_lists_so_the_browser_names_it()
{
    let granted = preflight("/items", APP, "POST", None).await;
    let response = preflight("/items", APP, "POST", Some("content-type,x-secret")).await;
    support::assert_answered_like_a_grant(&response, &granted, "x-secret");
    assert_eq!(
        header(&response, &ACCESS_CONTROL_ALLOW_HEADERS),
        Some("content-type, x-api-key")
    );
    assert_eq!(vary(&response), ["origin"]);
}

#[tokio::test]
async fn a_preflight_for_a_method_no_layer_lists_gets_the_policys_methods_so_the_browser_names_it()
{
    let granted = preflight("/items", APP, "POST", None).await;
    for method in ["PUT", "post", ""] {
        let response = preflight("/items", APP, method, None).await;
        support::assert_answered_like_a_grant(&response, &granted, method);
    }
}

#[tokio::test]
async fn a_refused_preflight_from_an_unlisted_origin_stays_a_bare_403() {
    for (method, headers) in [("PUT", None), ("POST", Some("x-secret"))] {
        let response = preflight("/items", EVIL, method, headers).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{method}");
        assert_no_cors_headers(&response);
    }
}

#[tokio::test]
async fn an_options_request_without_request_method_reaches_routing_untouched() {
    let response = send(Method::OPTIONS, "/items", &[h(ORIGIN, APP)]).await;
    // axum's own answer for a method the route does not serve
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_no_cors_headers(&response);
}

#[tokio::test]
async fn an_allowed_actual_request_runs_the_handler_and_gets_its_grant() {
    let response = send(Method::POST, "/items", &[h(ORIGIN, LOCAL)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, &ACCESS_CONTROL_ALLOW_ORIGIN), Some(LOCAL));
    assert_eq!(
        header(&response, &ACCESS_CONTROL_ALLOW_CREDENTIALS),
        Some("true")
    );
    assert_eq!(
        header(&response, &ACCESS_CONTROL_EXPOSE_HEADERS),
        Some("x-request-id")
    );
    assert_eq!(header(&response, &ACCESS_CONTROL_ALLOW_METHODS), None);
    assert_eq!(vary(&response), ["origin"]);
}

#[tokio::test]
async fn a_disallowed_actual_request_runs_the_handler_without_cors_headers() {
    let response = send(Method::GET, "/items", &[h(ORIGIN, EVIL)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_no_cors_headers(&response);
    assert_eq!(vary(&response), ["origin"]);
    assert_eq!(
        header(&response, &HeaderName::from_static("x-request-id")),
        Some("42")
    );
}

#[tokio::test]
async fn a_request_without_origin_still_says_it_varies_with_origin() {
    let response = send(Method::GET, "/items", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_no_cors_headers(&response);
    assert_eq!(vary(&response), ["origin"]);
}

#[tokio::test]
async fn an_any_origin_policy_sends_a_star_on_every_response_and_no_vary() {
    for headers in [
        vec![],
        vec![h(ORIGIN, EVIL)],
        vec![h(ORIGIN, "null")],
        vec![h(ORIGIN, APP), h(ORIGIN, EVIL)],
    ] {
        let response = send(Method::GET, "/public", &headers).await;
        assert_eq!(
            header(&response, &ACCESS_CONTROL_ALLOW_ORIGIN),
            Some("*"),
            "{headers:?}"
        );
        assert_eq!(
            header(&response, &ACCESS_CONTROL_EXPOSE_HEADERS),
            Some("x-request-id")
        );
        assert_eq!(header(&response, &ACCESS_CONTROL_ALLOW_CREDENTIALS), None);
        assert!(vary(&response).is_empty(), "{headers:?}");
    }
    let response = preflight("/public", EVIL, "GET", None).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(&response, &ACCESS_CONTROL_ALLOW_ORIGIN), Some("*"));
}

#[tokio::test]
async fn vary_origin_is_appended_to_the_handlers_vary_and_never_duplicated() {
    let response = send(Method::GET, "/varied", &[h(ORIGIN, APP)]).await;
    assert_eq!(vary(&response), ["accept-encoding", "origin"]);
    let response = send(Method::GET, "/already-varied", &[h(ORIGIN, APP)]).await;
    assert_eq!(vary(&response), ["Accept, Origin"]);
}

#[tokio::test]
async fn bad_origin_headers_get_no_grant_and_never_a_panic() {
    let huge = format!("https://{}.example.com", "a".repeat(64 * 1024));
    let cases: Vec<Vec<(HeaderName, HeaderValue)>> = vec![
        vec![h(ORIGIN, "")],
        vec![h(ORIGIN, "https://app.example.com/")],
        vec![h(ORIGIN, "HTTPS://APP.EXAMPLE.COM")],
        vec![h(ORIGIN, "https://app.example.com:443")],
        vec![h(ORIGIN, "https://app.example.com@evil.example.net")],
        vec![h(ORIGIN, &huge)],
        vec![(
            ORIGIN,
            HeaderValue::from_bytes(b"https://app.example.com\xff").unwrap(),
        )],
        vec![(
            ORIGIN,
            HeaderValue::from_bytes(b"https://\tapp.example.com").unwrap(),
        )],
        vec![h(ORIGIN, APP), h(ORIGIN, APP)],
        vec![h(ORIGIN, EVIL), h(ORIGIN, APP)],
    ];
    for headers in cases {
        let response = send(Method::GET, "/items", &headers).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_no_cors_headers(&response);
        assert_eq!(vary(&response), ["origin"]);
        let mut preflight = headers.clone();
        preflight.push(h(ACCESS_CONTROL_REQUEST_METHOD, "POST"));
        let response = send(Method::OPTIONS, "/items", &preflight).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_no_cors_headers(&response);
    }
}

#[tokio::test]
async fn a_pattern_grants_subdomains_and_any_port_by_echoing_the_origin() {
    for origin in [
        "https://a.example.org",
        "https://a.b.example.org",
        "http://localhost:5173",
        "http://localhost",
    ] {
        let response = send(Method::GET, "/patterned", &[h(ORIGIN, origin)]).await;
        assert_eq!(
            header(&response, &ACCESS_CONTROL_ALLOW_ORIGIN),
            Some(origin)
        );
    }
    for origin in [
        "https://example.org",
        "https://a.example.org.evil.net",
        "http://a.example.org",
        "https://evilexample.org",
    ] {
        let response = send(Method::GET, "/patterned", &[h(ORIGIN, origin)]).await;
        assert_no_cors_headers(&response);
    }
}

#[tokio::test]
async fn each_method_on_a_shared_path_is_answered_by_its_own_handlers_policy() {
    let reader = "https://reader.example.com";
    let writer = "https://writer.example.com";

    let response = preflight("/shared", reader, "GET", Some("x-anything")).await;
    assert_eq!(
        header(&response, &ACCESS_CONTROL_ALLOW_HEADERS),
        None,
        "read allows no custom header"
    );
    assert_eq!(
        header(&response, &ACCESS_CONTROL_ALLOW_ORIGIN),
        Some(reader)
    );
    let response = preflight("/shared", writer, "DELETE", Some("content-type")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        header(&response, &ACCESS_CONTROL_ALLOW_ORIGIN),
        Some(writer)
    );
    assert_eq!(
        header(&response, &ACCESS_CONTROL_ALLOW_METHODS),
        Some("POST, DELETE")
    );
    assert_eq!(
        header(&response, &ACCESS_CONTROL_ALLOW_CREDENTIALS),
        Some("true")
    );

    // never a sibling's grant
    let response = preflight("/shared", reader, "DELETE", None).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_no_cors_headers(&response);
    let response = preflight("/shared", writer, "PUT", None).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_no_cors_headers(&response);

    let response = send(Method::GET, "/shared", &[h(ORIGIN, reader)]).await;
    assert_eq!(
        body_and_origin(response).await,
        ("read".into(), Some(reader.into()), None)
    );
    let response = send(Method::GET, "/shared", &[h(ORIGIN, writer)]).await;
    assert_eq!(body_and_origin(response).await, ("read".into(), None, None));
    let response = send(Method::POST, "/shared", &[h(ORIGIN, writer)]).await;
    assert_eq!(
        body_and_origin(response).await,
        ("write".into(), Some(writer.into()), Some("true".into()))
    );
    let response = send(Method::POST, "/shared", &[h(ORIGIN, reader)]).await;
    assert_eq!(
        body_and_origin(response).await,
        ("write".into(), None, None)
    );
}

async fn body_and_origin(response: Response<Body>) -> (String, Option<String>, Option<String>) {
    let origins: Vec<_> = response
        .headers()
        .get_all(ACCESS_CONTROL_ALLOW_ORIGIN)
        .iter()
        .collect();
    assert!(origins.len() <= 1, "{origins:?}");
    let origin = header(&response, &ACCESS_CONTROL_ALLOW_ORIGIN).map(str::to_owned);
    let credentials = header(&response, &ACCESS_CONTROL_ALLOW_CREDENTIALS).map(str::to_owned);
    (body(response).await, origin, credentials)
}

#[tokio::test]
async fn a_layer_on_a_whole_router_answers_for_every_route() {
    let app = Router::new()
        .route("/a", get(|| async { "a" }))
        .route("/b", post(|| async { "b" }))
        .layer(create_item::layer());
    let request = Request::get("/a")
        .header(ORIGIN, APP)
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(header(&response, &ACCESS_CONTROL_ALLOW_ORIGIN), Some(APP));
    let request = Request::options("/b")
        .header(ORIGIN, APP)
        .header(ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .body(Body::empty())
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_route_without_a_policy_gets_no_cors_headers() {
    let response = send(Method::GET, "/no-policy", &[h(ORIGIN, APP)]).await;
    assert_no_cors_headers(&response);
    assert!(vary(&response).is_empty());
}

#[tokio::test]
async fn where_policies_overlap_the_layer_added_last_answers_both_kinds_of_request() {
    // `public` allows every origin for GET; `create_item`, added last over the whole router,
    // lists GET too, for two origins with credentials: it decides, and its answers agree
    let app = Router::new()
        .route("/public", get(public).layer(public::layer()))
        .layer(create_item::layer());
    let send = |method: Method, headers: Vec<(HeaderName, HeaderValue)>| {
        let app = app.clone();
        async move { support::send(app, method, "/public", &headers).await }
    };
    let response = send(Method::GET, vec![h(ORIGIN, EVIL)]).await;
    assert_no_cors_headers(&response);
    let response = send(Method::GET, vec![h(ORIGIN, APP)]).await;
    assert_eq!(header(&response, &ACCESS_CONTROL_ALLOW_ORIGIN), Some(APP));
    assert_eq!(
        header(&response, &ACCESS_CONTROL_ALLOW_CREDENTIALS),
        Some("true")
    );
    let origins: Vec<_> = response
        .headers()
        .get_all(ACCESS_CONTROL_ALLOW_ORIGIN)
        .iter()
        .collect();
    assert_eq!(origins.len(), 1);
    let refused = send(
        Method::OPTIONS,
        vec![h(ORIGIN, EVIL), h(ACCESS_CONTROL_REQUEST_METHOD, "GET")],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_no_cors_headers(&refused);
}
