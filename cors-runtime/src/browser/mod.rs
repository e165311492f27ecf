//! A model of what a browser does with CORS, to test an app's CORS in `cargo test`.
//!
//! [`Browser::fetch`] makes the call a script of a page would make with `fetch()`, and does to it
//! what the [Fetch standard](https://fetch.spec.whatwg.org/#http-cors-protocol) says a browser
//! does, against any tower service (an axum `Router`, a `#[cors]` route), without a network:
//!
//! - it normalizes the method (`get` becomes `GET`, `patch` stays `patch`), refuses `CONNECT`,
//!   `TRACE` and `TRACK` and a body on `GET` or `HEAD` as `fetch` throws on them, and silently
//!   drops the headers a script cannot set (`Host`, `Origin`, `Sec-*`, ...), as `Headers` does;
//! - it sets `Origin` to the page's origin itself, `Accept: */*` when the script sets none, and
//!   `Content-Length` when it knows the body's size, as engines do;
//! - it sends a preflight when the method is not `GET`, `HEAD` or `POST` or a header is not
//!   CORS-safelisted (`Content-Type` other than the three form types, `Accept` and language values
//!   with unsafe bytes, a `Range` that is not `bytes=N-` or `bytes=N-M`, a value over 128 bytes,
//!   safelisted values over 1024 bytes together), as engines send it, and checks its answer;
//! - it keeps granted preflights in a cache until their `Access-Control-Max-Age` (5 s without one,
//!   [`MAX_AGE_CAP`] at most) runs out on the model's clock;
//! - it sends the call and applies the CORS check to the answer;
//! - it hands the script what it may read: the status, the body, and the CORS-safelisted response
//!   headers plus those in `Access-Control-Expose-Headers` (a `204` without `Content-Length`,
//!   which servers never send with it), or a [`Blocked`] that says why, in Chromium's words.
//!
//! # What the model decides
//!
//! - **The target's origin.** A request whose URI is a path alone (`/items`) goes to another
//!   origin than the page's, the usual case of an API called from a front end. An absolute URI
//!   (`http://localhost:3000/items`) has its own origin: when it is the page's, the call is
//!   same-origin, with no preflight, no CORS check, `Origin` only on methods other than `GET` and
//!   `HEAD`, and every response header but `Set-Cookie` readable.
//! - **Credentials.** [`Browser::new`] makes calls with `fetch`'s default `credentials:
//!   "same-origin"`, and [`Browser::credentials`] with `credentials: "include"`. The model holds no
//!   cookie jar: a `Cookie` header on the request stands for the cookies the browser holds for the
//!   API, and is sent only when credentials are (always same-origin, cross-origin only with
//!   `include`), never on a preflight. Every other forbidden header is dropped.
//! - **The cache** belongs to the page: a `Browser` and its clones (`credentials()` included)
//!   share it, and its entries are kept per URL and credentials mode, as engines key them. An
//!   entry stored with credentials serves calls without them too (fetch `#concept-cache-match`);
//!   a cached `*` serves only calls without credentials, as in Chromium. A fresh cache is a fresh
//!   `Browser::new`.
//! - **Time** is the model's own: it starts at zero and moves only by [`Browser::advance`], so
//!   tests of expiry never sleep.
//! - **Not modelled:** redirects (an answer is checked and handed over whatever its status),
//!   `Content-Type` that `fetch` adds for string bodies (set it yourself), `Sec-Fetch-*`, mixed
//!   content and private network access.

mod blocked;
mod cache;
mod check;
mod list;
mod preflight;
#[cfg(test)]
mod properties;
mod request;
mod response;
#[cfg(test)]
mod tests;

use std::future::poll_fn;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, ORIGIN};
use http::{HeaderName, HeaderValue, Method, Request, Response, Uri};
use http_body::Body;
use http_body_util::BodyExt;
use tower_service::Service;

pub use blocked::{Blocked, Reason};
use blocked::{BoxError, Failure};
use cache::Cache;
pub use preflight::MAX_AGE_CAP;

/// A page of one origin that calls services with `fetch`, and its preflight cache.
///
/// ```
/// use axum::{Router, body::Body, http::Request, routing::get};
/// use cors_runtime::{browser::Browser, cors};
///
/// #[cors(origins = ["http://localhost:3000"])]
/// async fn hello() -> &'static str {
///     "hello"
/// }
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let app = Router::new().route("/hello", get(hello).layer(hello::layer()));
/// let request = Request::get("/hello").body(Body::empty()).unwrap();
/// let response = Browser::new("http://localhost:3000").fetch(app, request).await.unwrap();
/// assert_eq!(response.body().as_ref(), b"hello");
/// # });
/// ```
#[derive(Clone, Debug)]
pub struct Browser {
    origin: HeaderValue,
    include: bool,
    cache: Arc<Mutex<Cache>>,
}

impl Browser {
    /// A page of `origin` (`"http://localhost:3000"`, or `"null"` for a sandboxed or `file:`
    /// page), making calls with `credentials: "same-origin"`, with an empty cache.
    ///
    /// # Panics
    /// When `origin` is not serialized as browsers send it: scheme and host in lower case, the
    /// port only when it is not the default, no path, no trailing `/`.
    #[must_use]
    pub fn new(origin: &str) -> Self {
        let serialized = Uri::try_from(origin)
            .ok()
            .and_then(|uri| request::origin_of(&uri));
        match serialized {
            Some(serialized) if serialized == origin => {}
            _ if origin == "null" => {}
            Some(serialized) => {
                panic!("`{origin}` is not an origin as browsers send it; write `{serialized}`")
            }
            None => panic!(
                "`{origin}` is not an origin; write scheme, host and port, as in `http://localhost:3000`"
            ),
        }
        Self {
            origin: HeaderValue::from_str(origin).expect("a serialized origin is a header value"),
            include: false,
            cache: Arc::default(),
        }
    }

    /// The same page making calls with `credentials: "include"`, sharing its cache and clock.
    #[must_use]
    pub fn credentials(&self) -> Self {
        Self {
            include: true,
            ..self.clone()
        }
    }

    /// The page's origin, as its calls send it in `Origin`.
    #[must_use]
    pub fn origin(&self) -> &str {
        self.origin.to_str().unwrap_or_default()
    }

    /// Moves the clock of the page's cache on by `by`: preflights granted more than their max age
    /// ago are sent again.
    pub fn advance(&self, by: Duration) {
        self.cache().advance(by);
    }

    /// Makes `request` as a script of this page would with `fetch`, against `app`: what the
    /// script may read of the answer, or why the browser kept it from the script.
    ///
    /// # Errors
    /// [`Blocked`] when `fetch` would throw: a forbidden method, a failed preflight, a failed CORS
    /// check, or no answer from `app`.
    pub async fn fetch<S, B, R>(
        &self,
        mut app: S,
        request: Request<B>,
    ) -> Result<Response<Bytes>, Blocked>
    where
        S: Service<Request<B>, Response = Response<R>>,
        S::Error: Into<BoxError>,
        B: Body + Default,
        R: Body,
        R::Error: Into<BoxError>,
    {
        let url = request.uri().to_string();
        let same_origin = request::origin_of(request.uri())
            .is_some_and(|target| target.as_bytes() == self.origin.as_bytes());
        let mut request = request::prepare(request, self.include || same_origin)
            .map_err(|failure| self.blocked(failure, false, &url))?;
        if same_origin {
            // same-origin calls send `Origin` but on GET and HEAD (fetch #append-a-request-origin-header)
            if !matches!(*request.method(), Method::GET | Method::HEAD) {
                request.headers_mut().insert(ORIGIN, self.origin.clone());
            }
            declare_length(&mut request);
            let (mut parts, body) = send(&mut app, request)
                .await
                .map_err(self.network(false, &url))?;
            response::as_sent(parts.status, &mut parts.headers);
            parts.headers = response::basic_filtered(parts.headers);
            let body = collect(body).await.map_err(self.network(false, &url))?;
            return Ok(Response::from_parts(parts, body));
        }
        let names = request::unsafe_names(request.headers());
        if !self
            .cache()
            .covers(&url, self.include, request.method(), &names)
        {
            let call = (request.uri(), request.method(), names.as_slice());
            self.preflight(&mut app, call, &url).await?;
        }
        request.headers_mut().insert(ORIGIN, self.origin.clone());
        declare_length(&mut request);
        let (mut parts, body) = send(&mut app, request)
            .await
            .map_err(self.network(false, &url))?;
        check::cors(&parts.headers, self.origin.as_bytes(), self.include)
            .map_err(|failure| self.blocked(failure, false, &url))?;
        response::as_sent(parts.status, &mut parts.headers);
        parts.headers = response::cors_filtered(parts.headers, self.include);
        let body = collect(body).await.map_err(self.network(false, &url))?;
        Ok(Response::from_parts(parts, body))
    }

    /// Sends the preflight of a call to this URI with this method and these CORS-unsafe header
    /// names, and keeps what its answer grants.
    async fn preflight<S, B, R>(
        &self,
        app: &mut S,
        (uri, method, names): (&Uri, &Method, &[HeaderName]),
        url: &str,
    ) -> Result<(), Blocked>
    where
        S: Service<Request<B>, Response = Response<R>>,
        S::Error: Into<BoxError>,
        B: Default,
    {
        let preflight = preflight::request(uri, &self.origin, method, names);
        let (parts, _) = send(app, preflight)
            .await
            .map_err(self.network(true, url))?;
        let granted = preflight::check(
            parts.status,
            &parts.headers,
            self.origin.as_bytes(),
            self.include,
            method,
            names,
        )
        .map_err(|failure| self.blocked(failure, true, url))?;
        self.cache().store(url, self.include, &granted);
        Ok(())
    }

    fn cache(&self) -> MutexGuard<'_, Cache> {
        // the cache holds plain data, consistent after any panic
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn blocked(&self, failure: Failure, preflight: bool, url: &str) -> Blocked {
        Blocked::new(failure, preflight, url.to_owned(), self.origin().to_owned())
    }

    fn network(&self, preflight: bool, url: &str) -> impl FnOnce(BoxError) -> Blocked {
        let (url, origin) = (url.to_owned(), self.origin().to_owned());
        move |error| Blocked::network(error, preflight, url, origin)
    }
}

/// Calls `app` once it is ready, and splits its answer.
async fn send<S, B, R>(
    app: &mut S,
    request: Request<B>,
) -> Result<(http::response::Parts, R), BoxError>
where
    S: Service<Request<B>, Response = Response<R>>,
    S::Error: Into<BoxError>,
{
    poll_fn(|cx| app.poll_ready(cx)).await.map_err(Into::into)?;
    let response = app.call(request).await.map_err(Into::into)?;
    Ok(response.into_parts())
}

/// Reads a whole body.
async fn collect<R>(body: R) -> Result<Bytes, BoxError>
where
    R: Body,
    R::Error: Into<BoxError>,
{
    Ok(body.collect().await.map_err(Into::into)?.to_bytes())
}

/// Declares the body's length, as browsers do once the CORS decisions are made (fetch
/// `#http-network-or-cache-fetch`, `contentLength`): its size when known, which a router-wide
/// body limit reads before any handler, and `0` for a `POST` or `PUT` without a body. A stream,
/// whose size is unknown, declares none.
fn declare_length<B: Body>(request: &mut Request<B>) {
    let length = match request.body().size_hint().exact() {
        // the model cannot tell an empty body from none
        Some(0) if !matches!(*request.method(), Method::POST | Method::PUT) => return,
        Some(length) => length,
        None => return,
    };
    request
        .headers_mut()
        .insert(CONTENT_LENGTH, HeaderValue::from(length));
}
