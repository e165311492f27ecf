//! The model as a whole, against a server that records what it receives and answers as told.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::header::{ACCESS_CONTROL_REQUEST_HEADERS, CONTENT_LENGTH, COOKIE, ORIGIN, SET_COOKIE};
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use tower::service_fn;

use super::{Blocked, Browser, Reason};

const PAGE: &str = "http://localhost:3000";

/// How a test server answers a request with this method: the headers of its answer.
type Answer = fn(&Method) -> Vec<(&'static str, &'static [u8])>;

/// What the server received: method and headers of each request, in order.
type Log = Arc<Mutex<Vec<(Method, HeaderMap)>>>;

/// A server that logs each request and answers it with `answer(method)`'s headers and `200`
/// (`204` to `OPTIONS`).
fn server(
    log: &Log,
    answer: Answer,
) -> impl tower_service::Service<
    Request<String>,
    Response = Response<String>,
    Error = Infallible,
    Future = impl Future<Output = Result<Response<String>, Infallible>>,
> + Clone {
    let log = Arc::clone(log);
    service_fn(move |request: Request<String>| {
        let log = Arc::clone(&log);
        async move {
            let (parts, _) = request.into_parts();
            let mut response = Response::new(String::from("answer"));
            if parts.method == Method::OPTIONS {
                *response.status_mut() = StatusCode::NO_CONTENT;
            }
            for (name, value) in answer(&parts.method) {
                let value = HeaderValue::from_bytes(value).expect("test values are valid");
                response.headers_mut().append(name, value);
            }
            log.lock()
                .expect("not poisoned")
                .push((parts.method, parts.headers));
            Ok(response)
        }
    })
}

/// Grants everything to the page, with credentials, and keeps preflights 10 s.
fn generous(_: &Method) -> Vec<(&'static str, &'static [u8])> {
    vec![
        ("access-control-allow-origin", PAGE.as_bytes()),
        ("access-control-allow-credentials", b"true"),
        ("access-control-allow-methods", b"PUT, DELETE"),
        ("access-control-allow-headers", b"x-api-key, content-type"),
        ("access-control-max-age", b"10"),
        ("x-secret", b"1"),
        ("set-cookie", b"session=2"),
    ]
}

fn call(method: &str, uri: &str, headers: &[(&'static str, &'static str)]) -> Request<String> {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(String::new()).expect("a valid request")
}

async fn run(
    page: &Browser,
    log: &Log,
    answer: Answer,
    request: Request<String>,
) -> Result<Response<bytes::Bytes>, Blocked> {
    page.fetch(server(log, answer), request).await
}

fn methods(log: &Log) -> Vec<Method> {
    log.lock()
        .expect("not poisoned")
        .iter()
        .map(|(method, _)| method.clone())
        .collect()
}

#[tokio::test]
async fn a_simple_get_goes_out_once_with_the_page_origin_and_reads_safelisted_headers() {
    let log = Log::default();
    let page = Browser::new(PAGE);
    let response = run(
        &page,
        &log,
        generous,
        call("GET", "/items", &[("accept", "*/*")]),
    )
    .await
    .expect("allowed");
    assert_eq!(methods(&log), [Method::GET]);
    assert_eq!(log.lock().unwrap()[0].1[ORIGIN], PAGE);
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.body().as_ref(), b"answer");
    assert!(response.headers().is_empty(), "{:?}", response.headers());
}

#[tokio::test]
async fn a_put_with_a_custom_header_is_preflighted_first() {
    let log = Log::default();
    let request = call(
        "put",
        "/items/1",
        &[("X-Api-Key", "k"), ("content-type", "application/json")],
    );
    run(&Browser::new(PAGE), &log, generous, request)
        .await
        .expect("allowed");
    assert_eq!(methods(&log), [Method::OPTIONS, Method::PUT]);
    let preflight = &log.lock().unwrap()[0].1;
    assert_eq!(
        preflight[ACCESS_CONTROL_REQUEST_HEADERS],
        "content-type,x-api-key"
    );
}

#[tokio::test]
async fn a_granted_preflight_is_reused_until_its_max_age_has_passed() {
    let log = Log::default();
    let page = Browser::new(PAGE);
    for _ in 0..2 {
        run(&page, &log, generous, call("DELETE", "/items/1", &[]))
            .await
            .expect("allowed");
    }
    assert_eq!(
        methods(&log),
        [Method::OPTIONS, Method::DELETE, Method::DELETE]
    );
    page.advance(Duration::from_secs(10));
    run(&page, &log, generous, call("DELETE", "/items/1", &[]))
        .await
        .expect("allowed");
    assert_eq!(methods(&log)[3..], [Method::OPTIONS, Method::DELETE]);
}

#[tokio::test]
async fn clones_share_the_cache_but_credentials_have_entries_of_their_own() {
    let log = Log::default();
    let page = Browser::new(PAGE);
    run(&page, &log, generous, call("DELETE", "/a", &[]))
        .await
        .expect("allowed");
    run(&page.clone(), &log, generous, call("DELETE", "/a", &[]))
        .await
        .expect("allowed");
    run(
        &page.credentials(),
        &log,
        generous,
        call("DELETE", "/a", &[]),
    )
    .await
    .expect("allowed");
    let sent = methods(&log);
    assert_eq!(
        sent.iter()
            .filter(|method| **method == Method::OPTIONS)
            .count(),
        2,
        "{sent:?}"
    );
}

#[tokio::test]
async fn cookies_go_only_with_credentials_and_never_on_a_preflight() {
    let log = Log::default();
    let page = Browser::new(PAGE);
    let with_cookie = || call("DELETE", "/a", &[("cookie", "session=1")]);
    run(&page, &log, generous, with_cookie())
        .await
        .expect("allowed");
    run(&page.credentials(), &log, generous, with_cookie())
        .await
        .expect("allowed");
    let log = log.lock().unwrap();
    let cookies: Vec<bool> = log
        .iter()
        .map(|(_, headers)| headers.contains_key(COOKIE))
        .collect();
    assert_eq!(cookies, [false, false, false, true]);
}

#[tokio::test]
async fn the_call_declares_its_body_length_as_browsers_do_and_the_preflight_none() {
    let log = Log::default();
    let page = Browser::new(PAGE);
    let mut put = call("PUT", "/items/1", &[("content-type", "text/plain")]);
    *put.body_mut() = "12345".to_owned();
    run(&page, &log, generous, put).await.expect("allowed");
    let empty = call("POST", "/items", &[]);
    run(&page, &log, generous, empty).await.expect("allowed");
    run(&page, &log, generous, call("GET", "/items", &[]))
        .await
        .expect("allowed");
    let log = log.lock().unwrap();
    let declared: Vec<_> = log
        .iter()
        .map(|(method, headers)| (method.as_str(), headers.get(CONTENT_LENGTH).cloned()))
        .collect();
    let length = |value| Some(HeaderValue::from_static(value));
    assert_eq!(
        declared,
        [
            ("OPTIONS", None),
            ("PUT", length("5")),
            ("POST", length("0")),
            ("GET", None)
        ]
    );
}

#[tokio::test]
async fn a_same_origin_call_skips_cors_and_reads_all_but_set_cookie() {
    let log = Log::default();
    let page = Browser::new(PAGE);
    let response = run(
        &page,
        &log,
        |_| vec![("x-secret", b"1"), ("set-cookie", b"a=b")],
        call("GET", "http://localhost:3000/a", &[("x-api-key", "k")]),
    )
    .await
    .expect("same-origin calls are not checked");
    assert_eq!(response.headers()["x-secret"], "1");
    assert!(!response.headers().contains_key(SET_COOKIE));
    run(
        &page,
        &log,
        |_| vec![],
        call("PUT", "http://localhost:3000/a", &[]),
    )
    .await
    .expect("allowed");
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2, "no preflight");
    assert!(!log[0].1.contains_key(ORIGIN) && log[1].1[ORIGIN] == PAGE);
}

#[tokio::test]
async fn an_unlisted_header_is_refused_in_the_preflight_and_the_call_never_sent() {
    let log = Log::default();
    let blocked = run(
        &Browser::new(PAGE),
        &log,
        generous,
        call("GET", "/a", &[("x-debug", "1")]),
    )
    .await
    .unwrap_err();
    assert_eq!(blocked.reason(), Reason::HeaderNotAllowed);
    assert!(blocked.in_preflight());
    assert_eq!(methods(&log), [Method::OPTIONS]);
    assert_eq!(
        blocked.to_string(),
        "Access to fetch at '/a' from origin 'http://localhost:3000' has been blocked by CORS \
         policy: Request header field x-debug is not allowed by Access-Control-Allow-Headers in \
         preflight response."
    );
}

#[tokio::test]
async fn malformed_answers_are_cors_failures_not_panics() {
    let cases: [(Answer, Reason); 5] = [
        (
            |_| vec![("access-control-allow-origin", b"\xff\xfe")],
            Reason::InvalidAllowOrigin,
        ),
        (
            |_| {
                vec![
                    ("access-control-allow-origin", PAGE.as_bytes()),
                    ("access-control-allow-origin", PAGE.as_bytes()),
                ]
            },
            Reason::MultipleAllowOrigin,
        ),
        (
            |_| {
                vec![
                    ("access-control-allow-origin", PAGE.as_bytes()),
                    ("access-control-allow-credentials", b"true"),
                    ("access-control-allow-methods", b"PUT\xff"),
                ]
            },
            Reason::InvalidAllowMethods,
        ),
        (
            |_| {
                vec![
                    ("access-control-allow-origin", b"*"),
                    ("access-control-allow-headers", b"*"),
                    ("access-control-allow-methods", b"*"),
                    ("access-control-max-age", b"\xff"),
                ]
            },
            Reason::WildcardOriginWithCredentials,
        ),
        (
            |_| {
                vec![
                    ("access-control-allow-origin", PAGE.as_bytes()),
                    ("access-control-allow-credentials", b"true\xff"),
                ]
            },
            Reason::AllowCredentialsNotTrue,
        ),
    ];
    for (answer, reason) in cases {
        let blocked = run(
            &Browser::new(PAGE).credentials(),
            &Log::default(),
            answer,
            call("PUT", "/a", &[]),
        )
        .await
        .unwrap_err();
        assert_eq!(blocked.reason(), reason, "{blocked}");
    }
}

#[tokio::test]
async fn a_failing_service_is_a_network_error() {
    let failing = service_fn(|_: Request<String>| async {
        Err::<Response<String>, _>(std::io::Error::other("refused"))
    });
    let blocked = Browser::new(PAGE)
        .fetch(failing, call("GET", "/a", &[]))
        .await
        .unwrap_err();
    assert_eq!(blocked.reason(), Reason::Network);
    assert!(!blocked.reason().is_cors());
    assert!(std::error::Error::source(&blocked).is_some());
}

#[test]
fn a_page_origin_must_be_serialized_as_browsers_send_it() {
    for origin in ["http://localhost:3000", "https://app.example.com", "null"] {
        assert_eq!(Browser::new(origin).origin(), origin);
    }
    for (origin, fix) in [
        ("http://localhost:3000/", "write `http://localhost:3000`"),
        (
            "https://App.example.com:443",
            "write `https://app.example.com`",
        ),
        ("localhost:3000", "is not an origin"),
    ] {
        let message = std::panic::catch_unwind(|| Browser::new(origin))
            .expect_err(origin)
            .downcast::<String>()
            .expect("a formatted message");
        assert!(message.contains(fix), "{origin}: {message}");
    }
}
