//! The test's own little internet: one loopback HTTP proxy that every engine is told to use, and
//! behind it the sites of the test, served in-process and found by their origin.
//!
//! A browser asks a proxy for `http://` pages with the whole URL (`GET http://evil.test/ ...`)
//! and for `https://` ones with `CONNECT host:443`, so the proxy knows every request's origin
//! without any name being resolved: no DNS query is made, by the engine or by us, and origins
//! such as `http://localhost:3000` need no fixed port.
//!
//! `https://` sites listen on loopback ports of their own, at `https://localhost:port` or
//! `https://127.0.0.1:port`, with a certificate made for the run ([`tls`](crate::tls)): WebKitGTK
//! does not send `https://` requests through a proxy it was given, so it connects to them
//! directly, while Chromium and Firefox ask the proxy with `CONNECT localhost:port`, which it
//! answers with the same TLS and the same site. Loopback addresses need no DNS either.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::runtime::Runtime;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt as _;
use tracing::instrument::WithSubscriber as _;

use crate::tls;

/// The sites of one test, by origin (`http://localhost:3000`, `https://localhost`).
type Sites = Arc<Mutex<HashMap<String, Router>>>;

/// The proxy and the sites behind it; they stop when this is dropped.
pub(crate) struct Network {
    /// Runs the proxy and the sites while the test drives a browser.
    runtime: Runtime,
    /// Where the proxy listens.
    proxy: SocketAddr,
    /// What it serves.
    sites: Sites,
    /// Where the `tracing` events of every request go.
    dispatch: tracing::Dispatch,
}

impl Network {
    /// Starts a proxy serving nothing yet; `dispatch` receives the `tracing` events of every
    /// request it serves.
    pub(crate) fn start(dispatch: tracing::Dispatch) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let listener = runtime
            .block_on(TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))
            .expect("a loopback port");
        let proxy = listener.local_addr().expect("the port's address");
        let sites = Sites::default();
        let (served, events) = (Arc::clone(&sites), dispatch.clone());
        runtime.spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let sites = Arc::clone(&served);
                let connection = serve(TokioIo::new(stream), None, sites);
                tokio::spawn(connection.with_subscriber(events.clone()));
            }
        });
        Self {
            runtime,
            proxy,
            sites,
            dispatch,
        }
    }

    /// Where the proxy listens, as `127.0.0.1:port`.
    pub(crate) fn proxy(&self) -> SocketAddr {
        self.proxy
    }

    /// Serves `router` as the site at `origin` (`scheme://host[:port]`, without the default
    /// port), replacing any other.
    pub(crate) fn serve(&self, origin: &str, router: Router) {
        self.sites
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(origin.to_owned(), router);
    }

    /// Serves `router` as the site at `origin`, unless a site is there already.
    pub(crate) fn serve_missing(&self, origin: &str, router: Router) {
        self.sites
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(origin.to_owned())
            .or_insert(router);
    }

    /// Serves `router` over TLS on a loopback port of its own, as the site
    /// `https://{host}:port`, and returns that origin; `host` is `localhost` or `127.0.0.1`.
    pub(crate) fn serve_tls(&self, host: &str, router: Router) -> String {
        let listener = self
            .runtime
            .block_on(TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))
            .expect("a loopback port");
        let port = listener.local_addr().expect("the port's address").port();
        let origin = format!("https://{host}:{port}");
        self.serve(&origin, router);
        let (sites, served) = (Arc::clone(&self.sites), origin.clone());
        let dispatch = self.dispatch.clone();
        self.runtime.spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let connection = secure(stream, served.clone(), Arc::clone(&sites));
                tokio::spawn(connection.with_subscriber(dispatch.clone()));
            }
        });
        origin
    }

    /// Where the `tracing` events of every request go, for requests made without the proxy.
    pub(crate) fn dispatch(&self) -> &tracing::Dispatch {
        &self.dispatch
    }

    /// The runtime the sites run on, for the browser's driving.
    pub(crate) fn runtime(&self) -> &Runtime {
        &self.runtime
    }
}

/// Serves one connection: plain HTTP to the proxy (`https` is `None`), or the requests inside
/// a `CONNECT` to the origin it names (`https://`, or `http://` for a socket).
async fn serve<I>(io: I, https: Option<String>, sites: Sites)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = service_fn(move |request| answer(request, https.clone(), Arc::clone(&sites)));
    // the browser hangs up on connections it no longer needs; that is no failure of the test
    let _ = http1::Builder::new()
        .serve_connection(io, service)
        .with_upgrades()
        .await;
}

/// Answers one request: a `CONNECT` opens a TLS tunnel, anything else goes to its site.
async fn answer(
    request: Request<Incoming>,
    https: Option<String>,
    sites: Sites,
) -> Result<Response<Body>, Infallible> {
    if request.method() == Method::CONNECT {
        return Ok(tunnel(request, sites));
    }
    let origin = match https {
        Some(origin) => origin,
        // a request to a proxy names its whole URL (RFC 9112 #absolute-form)
        None => match request.uri().authority() {
            Some(authority) => format!("http://{authority}"),
            None => return Ok(status(StatusCode::BAD_REQUEST)),
        },
    };
    let site = sites
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&origin)
        .cloned();
    Ok(match site {
        Some(site) => site
            .oneshot(request.map(Body::new))
            .await
            .unwrap_or_else(|never| match never {}),
        // a site that is not there: the browser sees a failed load, never a CORS error
        None => status(StatusCode::BAD_GATEWAY),
    })
}

/// Accepts a `CONNECT host:port` to a site of the test and serves TLS in the tunnel, or plain
/// HTTP to an `http://` site of that host and port: engines open `ws://` sockets through a
/// proxy with `CONNECT` too.
fn tunnel(request: Request<Incoming>, sites: Sites) -> Response<Body> {
    let Some(authority) = request.uri().authority() else {
        return status(StatusCode::BAD_REQUEST);
    };
    let https = match authority.as_str().strip_suffix(":443") {
        Some(host) => format!("https://{host}"),
        None => format!("https://{authority}"),
    };
    let http = match authority.as_str().strip_suffix(":80") {
        Some(host) => format!("http://{host}"),
        None => format!("http://{authority}"),
    };
    let known = |origin: &String| {
        sites
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains_key(origin)
    };
    let tls = known(&https);
    let origin = if tls {
        https
    } else if known(&http) {
        http
    } else {
        return status(StatusCode::BAD_GATEWAY);
    };
    tokio::spawn(
        async move {
            if let Ok(upgraded) = hyper::upgrade::on(request).await {
                if tls {
                    secure(TokioIo::new(upgraded), origin, sites).await;
                } else {
                    serve(upgraded, Some(origin), sites).await;
                }
            }
        }
        .with_current_subscriber(),
    );
    status(StatusCode::OK)
}

/// Serves the `https` site `origin` on a connection, with TLS.
async fn secure<I>(io: I, origin: String, sites: Sites)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let acceptor = TlsAcceptor::from(tls::server_config());
    if let Ok(stream) = acceptor.accept(io).await {
        serve(TokioIo::new(stream), Some(origin), sites).await;
    }
}

/// An empty response with this status.
fn status(status: StatusCode) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}
