//! `csrf` through the layer on an axum `Router`, header by header: every rule each way round,
//! with a handler that counts its calls, so that a refusal is seen never to reach it.
//!
//! The requests go to `https://bank.example.com` (their `Host`); the policy allows
//! `https://app.example.com`. Origins read from the environment are covered in `tests/env.rs`.
//! The allowed origins are looked up by the policy's one lookup, `AllowedOrigins::check`, so
//! any other source of origins it answers for is covered by the same path; a run-time origin set
//! gets its own allowed and refused case here when it exists.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_METHOD, HOST, ORIGIN, UPGRADE, VARY,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Response, StatusCode, Uri};
use axum::routing::any;
use cors_runtime::cors;
use cors_runtime::csrf::Verdict;
use support::{assert_no_cors_headers, send};

const BANK: &str = "https://bank.example.com";
const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example.net";
const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

#[cors(origins = ["https://app.example.com"], credentials,
       methods = [GET, POST, PUT, PATCH, DELETE], csrf)]
async fn transfer(State(calls): State<Arc<AtomicUsize>>) -> &'static str {
    calls.fetch_add(1, Ordering::SeqCst);
    "done"
}

#[cors(origins = ["https://app.example.com"], credentials,
       methods = [GET, POST, PUT, PATCH, DELETE])]
async fn unprotected(State(calls): State<Arc<AtomicUsize>>) -> &'static str {
    calls.fetch_add(1, Ordering::SeqCst);
    "done"
}

/// The bank's app, and how often its handlers have run.
struct Bank {
    app: Router,
    calls: Arc<AtomicUsize>,
}

impl Bank {
    fn new() -> Self {
        let calls = Arc::new(AtomicUsize::new(0));
        let app = Router::new()
            .route("/transfer", any(transfer).layer(transfer::layer()))
            .route("/unprotected", any(unprotected).layer(unprotected::layer()))
            .with_state(Arc::clone(&calls));
        Self { app, calls }
    }

    /// Sends `method` to `path` on the bank's host with `headers`; the response, and whether the
    /// handler ran.
    async fn send(
        &self,
        method: &Method,
        path: &str,
        headers: &[(HeaderName, &str)],
    ) -> (Response<Body>, bool) {
        let mut all = vec![(HOST, HeaderValue::from_static("bank.example.com"))];
        all.extend(
            headers
                .iter()
                .map(|(name, value)| (name.clone(), HeaderValue::from_str(value).unwrap())),
        );
        let before = self.calls.load(Ordering::SeqCst);
        let response = send(self.app.clone(), method.clone(), path, &all).await;
        (response, self.calls.load(Ordering::SeqCst) > before)
    }

    /// Asserts that `method` with `headers` to `/transfer` is refused, with a `403` that
    /// discloses nothing and keeps `Vary`, without running the handler, as
    /// [`Policy::protects`](cors_runtime::Policy::protects) says.
    async fn assert_refused(&self, method: Method, headers: &[(HeaderName, &str)]) {
        let context = format!("{method} {headers:?}");
        assert_eq!(protects(&method, headers), Some(false), "{context}");
        let (response, ran) = self.send(&method, "/transfer", headers).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{context}");
        assert!(!ran, "{context}: the handler ran");
        assert_no_cors_headers(&response, &context);
        assert_eq!(response.headers().get(VARY).unwrap(), "origin", "{context}");
    }

    /// Asserts that `method` with `headers` to `/transfer` reaches the handler, as
    /// [`Policy::protects`](cors_runtime::Policy::protects) says.
    async fn assert_passes(&self, method: Method, headers: &[(HeaderName, &str)]) {
        let context = format!("{method} {headers:?}");
        assert_eq!(protects(&method, headers), Some(true), "{context}");
        let (response, ran) = self.send(&method, "/transfer", headers).await;
        assert_eq!(response.status(), StatusCode::OK, "{context}");
        assert!(ran, "{context}: the handler did not run");
    }
}

/// Whether `transfer`'s policy lets the request through, by its public check; `None` without
/// `csrf`.
fn protects(method: &Method, headers: &[(HeaderName, &str)]) -> Option<bool> {
    let mut map = HeaderMap::new();
    map.insert(HOST, HeaderValue::from_static("bank.example.com"));
    for (name, value) in headers {
        map.append(name.clone(), HeaderValue::from_str(value).unwrap());
    }
    let uri = Uri::from_static("/transfer");
    let verdict = transfer::policy().protects(method, &uri, &map)?;
    Some(matches!(verdict, Verdict::Pass(_)))
}

#[tokio::test]
async fn a_write_marked_same_origin_or_user_initiated_passes_whatever_its_origin() {
    let bank = Bank::new();
    for site in ["same-origin", "none"] {
        bank.assert_passes(Method::POST, &[(SEC_FETCH_SITE, site), (ORIGIN, EVIL)])
            .await;
        bank.assert_passes(Method::POST, &[(SEC_FETCH_SITE, site)])
            .await;
    }
}

#[tokio::test]
async fn a_write_marked_same_site_or_cross_site_is_refused_unless_its_origin_is_allowed() {
    let bank = Bank::new();
    for site in ["same-site", "cross-site", "something-new"] {
        bank.assert_refused(Method::POST, &[(SEC_FETCH_SITE, site), (ORIGIN, EVIL)])
            .await;
        bank.assert_refused(Method::POST, &[(SEC_FETCH_SITE, site)])
            .await;
        bank.assert_passes(Method::POST, &[(SEC_FETCH_SITE, site), (ORIGIN, APP)])
            .await;
    }
}

#[tokio::test]
async fn an_allowed_cross_site_write_runs_the_handler_and_is_granted_by_cors() {
    let bank = Bank::new();
    let headers = [(SEC_FETCH_SITE, "cross-site"), (ORIGIN, APP)];
    let (response, ran) = bank.send(&Method::PUT, "/transfer", &headers).await;
    assert!(ran);
    assert_eq!(response.headers()[ACCESS_CONTROL_ALLOW_ORIGIN], APP);
}

#[tokio::test]
async fn without_sec_fetch_site_the_origin_must_be_the_host_or_allowed() {
    let bank = Bank::new();
    bank.assert_passes(Method::POST, &[(ORIGIN, BANK)]).await;
    bank.assert_passes(Method::POST, &[(ORIGIN, APP)]).await;
    bank.assert_refused(Method::POST, &[(ORIGIN, EVIL)]).await;
    bank.assert_refused(
        Method::POST,
        &[(ORIGIN, "https://bank.example.com.evil.example.net")],
    )
    .await;
    bank.assert_refused(Method::POST, &[(ORIGIN, "null")]).await;
}

#[tokio::test]
async fn a_write_with_neither_header_passes_as_a_client_that_is_no_browser() {
    let bank = Bank::new();
    for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
        bank.assert_passes(method, &[]).await;
    }
}

#[tokio::test]
async fn every_unsafe_method_is_refused_and_every_safe_one_passes() {
    let bank = Bank::new();
    let cross_site = [(SEC_FETCH_SITE, "cross-site"), (ORIGIN, EVIL)];
    for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
        bank.assert_refused(method, &cross_site).await;
    }
    for method in [Method::GET, Method::HEAD, Method::OPTIONS] {
        bank.assert_passes(method, &cross_site).await;
    }
}

#[tokio::test]
async fn a_websocket_handshake_must_come_from_the_host_or_an_allowed_origin() {
    let bank = Bank::new();
    let upgrade = (UPGRADE, "websocket");
    bank.assert_refused(Method::GET, &[upgrade.clone(), (ORIGIN, EVIL)])
        .await;
    bank.assert_refused(
        Method::GET,
        &[
            upgrade.clone(),
            (ORIGIN, EVIL),
            (SEC_FETCH_SITE, "same-origin"),
        ],
    )
    .await;
    // not upgraded by this handler, which answers `200`: it ran, which is what counts here
    bank.assert_passes(Method::GET, &[upgrade.clone(), (ORIGIN, BANK)])
        .await;
    bank.assert_passes(Method::GET, &[upgrade.clone(), (ORIGIN, APP)])
        .await;
    bank.assert_passes(Method::GET, &[upgrade]).await;
}

#[tokio::test]
async fn a_request_with_two_origins_is_refused_where_the_origin_decides() {
    let bank = Bank::new();
    bank.assert_refused(Method::POST, &[(ORIGIN, APP), (ORIGIN, APP)])
        .await;
}

#[tokio::test]
async fn preflights_are_answered_by_cors_alone() {
    let bank = Bank::new();
    let preflight = |origin| {
        [
            (ORIGIN, origin),
            (ACCESS_CONTROL_REQUEST_METHOD, "PUT"),
            (SEC_FETCH_SITE, "cross-site"),
        ]
    };
    let (granted, ran) = bank
        .send(&Method::OPTIONS, "/transfer", &preflight(APP))
        .await;
    assert_eq!(granted.status(), StatusCode::NO_CONTENT);
    assert_eq!(granted.headers()[ACCESS_CONTROL_ALLOW_ORIGIN], APP);
    let (refused, _) = bank
        .send(&Method::OPTIONS, "/transfer", &preflight(EVIL))
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(!ran);
}

#[tokio::test]
async fn without_csrf_a_cross_site_write_reaches_the_handler() {
    let bank = Bank::new();
    let headers = [(SEC_FETCH_SITE, "cross-site"), (ORIGIN, EVIL)];
    let (response, ran) = bank.send(&Method::POST, "/unprotected", &headers).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(ran, "CORS alone never stops a write");
    assert_no_cors_headers(&response, "an unlisted origin");
    let uri = Uri::from_static("/unprotected");
    let policy = unprotected::policy();
    assert_eq!(
        policy.protects(&Method::POST, &uri, &HeaderMap::new()),
        None
    );
}
