//! The sites of one test behind the proxy: the example's API, with a sign-in route of the tests'
//! own, and the routers of [`outside`](crate::outside), each of which writes down every answer it
//! gives; the pages; and the layer's log.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::Request;
use axum::http::header::{ACCESS_CONTROL_REQUEST_HEADERS, COOKIE, ORIGIN, SET_COOKIE};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cors_example::api;
use cors_runtime::cors;
use tracing_subscriber::EnvFilter;

use crate::network::Network;
use crate::outside::sites::Site;

/// Where pages reach the API over plain HTTP, as in the README.
pub(crate) const API: &str = "http://127.0.0.1:8000";

/// The cookie `POST /session` sets, as browsers need it to send it on cross-site requests too.
const SESSION_COOKIE: &str = "session=alice; Path=/; Secure; HttpOnly; SameSite=None";

/// Which of the API's two origins a call goes to, or which router of another site.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Api {
    /// [`API`], over plain HTTP.
    Plain,
    /// The same API over HTTPS, at `https://localhost:port`.
    Secure,
    /// A router answering outside its `#[cors]` layers, at an origin of its own.
    Outside(Site),
}

/// One answer of the API.
#[derive(Clone, Debug)]
pub(crate) struct Answer {
    /// The request's query, which names the scenario.
    pub(crate) query: Option<String>,
    /// The request's `Origin`.
    pub(crate) origin: Option<String>,
    /// Whether the request carried the session cookie.
    pub(crate) cookie: bool,
    /// The request's `Access-Control-Request-Headers`, as the engine wrote it.
    pub(crate) request_headers: Option<String>,
    /// The request's method and the answer's status, as in `OPTIONS 204`.
    pub(crate) exchange: String,
}

impl Answer {
    /// One line for the report: the exchange, the preflight's requested headers, the cookie.
    pub(crate) fn summary(&self) -> String {
        let mut summary = self.exchange.clone();
        if let Some(names) = &self.request_headers {
            let _ = write!(summary, " (Access-Control-Request-Headers: {names})");
        }
        if self.cookie {
            summary.push_str(" (with the session cookie)");
        }
        summary
    }
}

/// The network of one test, with the API on it; everything stops when this is dropped.
pub(crate) struct Servers {
    /// The proxy and its sites.
    pub(crate) network: Network,
    /// The API's router, as both of its origins serve it, writing down its answers.
    api: Router,
    /// Where pages reach the same API over HTTPS: `https://localhost:port`.
    api_https: String,
    /// The routers of [`outside`](crate::outside), as their origins serve them, writing their
    /// answers down with the API's.
    outside: HashMap<Site, Router>,
    /// Every answer of the API and the other routers so far, in order.
    answers: Arc<Mutex<Vec<Answer>>>,
    /// What `cors_runtime` logged at `DEBUG` while serving.
    log: Captured,
}

impl Servers {
    /// Starts the proxy with the API at [`API`], and over HTTPS on a port of its own, and every
    /// router of [`outside`](crate::outside) at its origin.
    pub(crate) fn start() -> Self {
        let log = Captured::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(EnvFilter::new("cors_runtime=debug"))
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let network = Network::start(tracing::Dispatch::new(subscriber));
        let answers = Arc::<Mutex<Vec<Answer>>>::default();
        let api = recorded(api_router(), &answers);
        network.serve(API, api.clone());
        let api_https = network.serve_tls("localhost", api.clone());
        let outside = Site::all()
            .map(|site| (site, recorded(site.router(), &answers)))
            .collect::<HashMap<_, _>>();
        for (site, router) in &outside {
            network.serve(&site.origin(), router.clone());
        }
        Self {
            network,
            api,
            api_https,
            outside,
            answers,
            log,
        }
    }

    /// The origin of `api`.
    pub(crate) fn api(&self, api: Api) -> String {
        match api {
            Api::Plain => API.to_owned(),
            Api::Secure => self.api_https.clone(),
            Api::Outside(site) => site.origin(),
        }
    }

    /// The router that serves `api`'s origin, for calls made in-process.
    pub(crate) fn router(&self, api: Api) -> Router {
        match api {
            Api::Plain | Api::Secure => self.api.clone(),
            Api::Outside(site) => self.outside[&site].clone(),
        }
    }

    /// Every answer of the API so far.
    pub(crate) fn answers(&self) -> Vec<Answer> {
        self.answers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// What `cors_runtime` logged so far: its refusals, with their reasons.
    pub(crate) fn log(&self) -> String {
        String::from_utf8_lossy(&self.log.0.lock().unwrap_or_else(PoisonError::into_inner))
            .into_owned()
    }
}

/// The example's API, and `/session`, which signs in over HTTPS (the example's policies list
/// `http://localhost:3000` alone, and its ports are fixed; the test's are not).
fn api_router() -> Router {
    api::router().route(
        "/session",
        get(session).post(session).layer(session::layer()),
    )
}

/// `POST /session` signs in, from a page on any `https://localhost` port, with a `SameSite=None; Secure` cookie; `GET /session` says who is
/// signed in, by that cookie, or answers `401`.
#[cors(origins = ["https://localhost:*"], credentials, methods = [GET, POST])]
async fn session(method: Method, headers: HeaderMap) -> Response {
    if method == Method::POST {
        ([(SET_COOKIE, SESSION_COOKIE)], r#"{"signed_in":"alice"}"#).into_response()
    } else if has_session(&headers) {
        r#"{"user":"alice"}"#.into_response()
    } else {
        (StatusCode::UNAUTHORIZED, r#"{"detail":"not signed in"}"#).into_response()
    }
}

/// Whether the request carries the cookie `POST /session` sets.
fn has_session(headers: &HeaderMap) -> bool {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .any(|pair| pair.trim() == "session=alice")
}

/// `router`, writing every answer down in `answers`.
fn recorded(router: Router, answers: &Arc<Mutex<Vec<Answer>>>) -> Router {
    let answers = Arc::clone(answers);
    router.layer(middleware::from_fn(move |request: Request, next: Next| {
        let answers = Arc::clone(&answers);
        async move {
            let query = request.uri().query().map(str::to_owned);
            let origin = request
                .headers()
                .get(ORIGIN)
                .map(|origin| String::from_utf8_lossy(origin.as_bytes()).into_owned());
            let cookie = has_session(request.headers());
            let request_headers = request
                .headers()
                .get(ACCESS_CONTROL_REQUEST_HEADERS)
                .map(|names| String::from_utf8_lossy(names.as_bytes()).into_owned());
            let method = request.method().clone();
            let response = next.run(request).await;
            let exchange = format!("{method} {}", response.status().as_u16());
            answers
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Answer {
                    query,
                    origin,
                    cookie,
                    request_headers,
                    exchange,
                });
            response
        }
    }))
}

/// Log lines written to memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
