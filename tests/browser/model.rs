//! The model of a browser, [`cors_runtime::browser::Browser`], as one more judge of every
//! scenario: it makes each call against the API's own router, in-process, and its verdicts join
//! the engines' in the same run.
//!
//! The model is given what the engines are: a page of the visit's origin (a fresh
//! [`Browser::new`] per visit, so a fresh preflight cache), the call's method, headers, body and
//! credentials mode, and the same absolute URL, whose origin is the API's. It calls the router
//! that serves that origin, so the API writes its answers down and `cors_runtime` logs its
//! refusals as for the engines.
//!
//! The model holds no cookies: a `Cookie` header on the script's request stands for the
//! browser's cookie jar. The [`Jar`] here is that jar: it keeps what the API sets with
//! `Set-Cookie` on calls with credentials (the only ones whose cookies a browser stores), and
//! hands it back as `Cookie` on every later call to the same API origin; the model then decides
//! whether the call carries it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::{Body, Bytes, HttpBody as _};
use axum::http::header::{CONTENT_LENGTH, COOKIE, SET_COOKIE};
use axum::http::{HeaderValue, Request, Response, StatusCode};
use cors_runtime::browser::Browser;
use tower::ServiceExt;
use tracing::instrument::WithSubscriber as _;

use crate::call::Call;
use crate::engine::Judge;
use crate::run::{Visit, url};
use crate::scenario::Observed;
use crate::servers::Servers;

/// The cookies the API set on calls with credentials, by the API's origin: `name=value`.
#[derive(Clone, Default)]
struct Jar(Arc<Mutex<HashMap<String, String>>>);

impl Jar {
    /// What the browser would send to `origin`, as a `Cookie` value.
    fn cookie(&self, origin: &str) -> Option<String> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(origin)
            .cloned()
    }

    /// Keeps the `name=value` of a `Set-Cookie` from `origin`.
    fn store(&self, origin: &str, set_cookie: &str) {
        let pair = set_cookie.split(';').next().unwrap_or_default().trim();
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(origin.to_owned(), pair.to_owned());
    }
}

/// Makes every call of `visits` through the model (the last time, for calls made more than
/// once, is the one that counts), and returns what a script saw of each, with the model's
/// console: the [`Display`](std::fmt::Display) of every refusal, one a line, in Chromium's
/// words.
pub(crate) async fn drive(servers: &Servers, visits: &[Visit<'_>]) -> (Vec<Vec<Observed>>, String) {
    let jar = Jar::default();
    let mut console = String::new();
    let mut all = Vec::new();
    for (visit, (origin, scenarios)) in visits.iter().enumerate() {
        let page = Browser::new(origin);
        let mut observed = Vec::new();
        for (index, scenario) in scenarios.iter().enumerate() {
            let call = &scenario.call;
            let url = url(servers, Judge::Model, (visit, index), call);
            let mut seen = None;
            for _ in 0..call.times {
                let fetch = fetch(servers, &page, &jar, &url, call);
                seen = Some(
                    fetch
                        .with_subscriber(servers.network.dispatch().clone())
                        .await,
                );
            }
            let (seen, said) = seen.expect("every call is made at least once");
            if let Some(said) = said {
                console.push_str(&said);
                console.push('\n');
            }
            observed.push(seen);
        }
        all.push(observed);
    }
    (all, console)
}

/// Makes `call` to `url` from `page`, and returns what the script saw, with the model's message
/// when it refused the call for CORS.
async fn fetch(
    servers: &Servers,
    page: &Browser,
    jar: &Jar,
    url: &str,
    call: &Call,
) -> (Observed, Option<String>) {
    let include = call.credentials == "include";
    let page = if include {
        page.credentials()
    } else {
        page.clone()
    };
    let api = servers.api(call.api);
    let mut request = Request::builder().method(call.method).uri(url);
    for (name, value) in &call.headers {
        request = request.header(*name, *value);
    }
    if let Some(cookie) = jar.cookie(&api) {
        request = request.header(COOKIE, cookie);
    }
    let body = call.body.map_or_else(Body::empty, Body::from);
    let request = request
        .body(body)
        .expect("a scenario's call is a valid request");
    let jar = jar.clone();
    let app =
        ServiceExt::<Request<Body>>::map_response(servers.router(call.api), move |response| {
            let response = framed(response);
            if include {
                for set_cookie in response.headers().get_all(SET_COOKIE) {
                    jar.store(&api, &String::from_utf8_lossy(set_cookie.as_bytes()));
                }
            }
            response
        });
    match page.fetch(app, request).await {
        Ok(response) => (read(&response, call), None),
        // a CORS refusal reaches the script as Chromium's `TypeError`, and the console as the
        // model's message; anything else is what the script sees, and nothing is logged
        Err(blocked) if blocked.reason().is_cors() => {
            let error = "TypeError: Failed to fetch".to_owned();
            (Observed::Blocked { error }, Some(blocked.to_string()))
        }
        Err(blocked) => {
            let error = blocked.to_string();
            (Observed::Blocked { error }, None)
        }
    }
}

/// `response` with the `Content-Length` hyper declares when it sends an answer of known size
/// (RFC 9112 `#body.content-length`), as the engines get it: the router, called here without
/// hyper, leaves that to the server. An informational answer, a `204` or a `304` has none.
fn framed(mut response: Response<Body>) -> Response<Body> {
    let status = response.status();
    let bodiless = status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED;
    if let Some(length) = response.body().size_hint().exact()
        && !bodiless
        && !response.headers().contains_key(CONTENT_LENGTH)
    {
        let length = HeaderValue::from(length);
        response.headers_mut().insert(CONTENT_LENGTH, length);
    }
    response
}

/// What the script reads of an answer the model let through: its status, its body, the headers
/// the call reads, and the names of every readable header.
fn read(response: &Response<Bytes>, call: &Call) -> Observed {
    let value = |name: &str| {
        let values: Vec<String> = response
            .headers()
            .get_all(name)
            .iter()
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    };
    Observed::Allowed {
        status: response.status().as_u16(),
        body: String::from_utf8_lossy(response.body()).into_owned(),
        headers: call
            .read
            .iter()
            .map(|&name| (name.to_owned(), value(name)))
            .collect(),
        readable: response
            .headers()
            .keys()
            .map(|name| name.as_str().to_owned())
            .collect(),
    }
}
