//! The servers of one test: the example's API, which writes down every answer it gives, and the
//! pages, all on loopback ports chosen by the OS.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::Request;
use axum::http::header::ORIGIN;
use axum::middleware::{self, Next};
use tokio::net::TcpListener;
use tokio::runtime::Runtime;

use cors_example::api;

/// One answer of the API.
#[derive(Clone, Debug)]
pub(crate) struct Answer {
    /// The request's query, which names the scenario.
    pub(crate) query: Option<String>,
    /// The request's `Origin`.
    pub(crate) origin: Option<String>,
    /// The request's method and the answer's status, as in `OPTIONS 204`.
    pub(crate) exchange: String,
}

/// The API and the pages of one test; they stop when this is dropped.
pub(crate) struct Servers {
    /// Runs the servers on its own thread while the test waits for Chromium.
    runtime: Runtime,
    /// Where the API listens.
    api: SocketAddr,
    /// Every answer of the API so far, in order.
    answers: Arc<Mutex<Vec<Answer>>>,
}

impl Servers {
    /// Starts the example's API.
    pub(crate) fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let answers = Arc::<Mutex<Vec<Answer>>>::default();
        let record = Arc::clone(&answers);
        let router =
            api::router().layer(middleware::from_fn(move |request: Request, next: Next| {
                let record = Arc::clone(&record);
                async move {
                    let query = request.uri().query().map(str::to_owned);
                    let origin = request
                        .headers()
                        .get(ORIGIN)
                        .map(|origin| String::from_utf8_lossy(origin.as_bytes()).into_owned());
                    let method = request.method().clone();
                    let response = next.run(request).await;
                    let exchange = format!("{method} {}", response.status().as_u16());
                    record
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(Answer {
                            query,
                            origin,
                            exchange,
                        });
                    response
                }
            }));
        let api = serve(&runtime, router);
        Self {
            runtime,
            api,
            answers,
        }
    }

    /// The API's origin, as pages call it.
    pub(crate) fn api_origin(&self) -> String {
        format!("http://{}", self.api)
    }

    /// Serves `router` on another port, and returns it.
    pub(crate) fn serve(&self, router: Router) -> SocketAddr {
        serve(&self.runtime, router)
    }

    /// Every answer of the API so far.
    pub(crate) fn answers(&self) -> Vec<Answer> {
        self.answers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Binds a loopback port chosen by the OS and serves `router` there.
fn serve(runtime: &Runtime, router: Router) -> SocketAddr {
    let listener = runtime
        .block_on(TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))
        .expect("a loopback port");
    let address = listener.local_addr().expect("the port's address");
    runtime.spawn(axum::serve(listener, router).into_future());
    address
}
