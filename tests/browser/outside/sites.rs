//! The routers of the README's "Answers made outside the layer": the same handlers under each
//! [`Layering`] of the table, as written or with `cors_runtime::outer(&FRONTEND)` added last, each
//! a site of its own behind the proxy, so that its router-wide layers wrap nothing else.

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Json, Request};
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use cors_runtime::{cors, cors_policy};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// The most bytes a body may have, under either limit.
const BODY_LIMIT: usize = 8;

/// How long a `TimeoutLayer` lets [`slow`] run.
const TIMEOUT: Duration = Duration::from_millis(150);

/// How long [`slow`] would take: far past [`TIMEOUT`], and never waited for.
const SLOW: Duration = Duration::from_secs(2);

/// The port of the first site's origin; the others follow, two a layering: as written, then
/// under `outer`. Only the proxy serves them: nothing listens there.
const FIRST_PORT: u16 = 8100;

// the policy every route shares and `outer` applies; it lists the suite's page
cors_policy!(
    FRONTEND,
    origins = ["http://localhost:3000"],
    credentials,
    methods = [GET, POST, PUT],
    headers = ["content-type", "authorization"]
);

/// Where the layers that answer by themselves sit around the `#[cors]` layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Layering {
    /// Each inside its route's `#[cors]` layer: authentication in `route_layer` before it, the
    /// timeout and the panic catcher in the route, and `DefaultBodyLimit`, which answers through
    /// the handler's extractor, on the whole router.
    Inside,
    /// Authentication in `route_layer` after the `#[cors]` layer.
    AuthAfterPolicy,
    /// Authentication on the whole router.
    AuthOnRouter,
    /// `TimeoutLayer` on the whole router.
    TimeoutOnRouter,
    /// `RequestBodyLimitLayer` on the whole router.
    BodyLimitOnRouter,
    /// `CatchPanicLayer` on the whole router.
    CatchPanicOnRouter,
    /// The `#[cors]` layer of `/item` on the whole router as well.
    PolicyOnRouter,
    /// The routes of [`PolicyOnRouter`](Layering::PolicyOnRouter), without its router-wide
    /// policy, nested at `/api`.
    Nested,
}

/// A router of the table: a layering, as written or under `outer`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Site {
    /// Where the answering layers sit.
    layering: Layering,
    /// Whether `cors_runtime::outer(&FRONTEND)` is added last.
    outer: bool,
}

impl Layering {
    /// Every layering, each at two origins: as written and under `outer`.
    pub(crate) const ALL: [Self; 8] = [
        Self::Inside,
        Self::AuthAfterPolicy,
        Self::AuthOnRouter,
        Self::TimeoutOnRouter,
        Self::BodyLimitOnRouter,
        Self::CatchPanicOnRouter,
        Self::PolicyOnRouter,
        Self::Nested,
    ];

    /// The same router with `cors_runtime::outer(&FRONTEND)` added last.
    pub(crate) const fn outer(self) -> Site {
        Site {
            layering: self,
            outer: true,
        }
    }

    /// The router, as written.
    fn router(self) -> Router {
        match self {
            Self::Inside => inside(),
            Self::AuthAfterPolicy => Router::new().route(
                "/item",
                get(item)
                    .put(item)
                    .layer(item::layer())
                    .route_layer(middleware::from_fn(auth)),
            ),
            Self::AuthOnRouter => item_route().layer(middleware::from_fn(auth)),
            Self::TimeoutOnRouter => Router::new()
                .route("/slow", get(slow).layer(slow::layer()))
                .layer(timeout()),
            Self::BodyLimitOnRouter => Router::new()
                .route("/upload", post(upload).layer(upload::layer()))
                .layer(RequestBodyLimitLayer::new(BODY_LIMIT)),
            Self::CatchPanicOnRouter => Router::new()
                .route("/panics", get(panics).layer(panics::layer()))
                .layer(CatchPanicLayer::new()),
            Self::PolicyOnRouter => item_route().layer(item::layer()),
            Self::Nested => Router::new().nest("/api", item_route()),
        }
    }
}

impl Site {
    /// Every site: each layering as written, then under `outer`.
    pub(crate) fn all() -> impl Iterator<Item = Self> {
        Layering::ALL
            .into_iter()
            .flat_map(|layering| [layering.into(), layering.outer()])
    }

    /// Its origin, a loopback port of its own, which only the proxy serves.
    pub(crate) fn origin(self) -> String {
        let port = FIRST_PORT + 2 * self.layering as u16 + u16::from(self.outer);
        format!("http://127.0.0.1:{port}")
    }

    /// Its router.
    pub(crate) fn router(self) -> Router {
        let router = self.layering.router();
        if self.outer {
            // last: outside every other layer
            router.layer(cors_runtime::outer(&FRONTEND))
        } else {
            router
        }
    }
}

impl From<Layering> for Site {
    fn from(layering: Layering) -> Self {
        Self {
            layering,
            outer: false,
        }
    }
}

/// The router of [`Layering::Inside`].
fn inside() -> Router {
    Router::new()
        .route(
            "/item",
            get(item)
                .put(item)
                .route_layer(middleware::from_fn(auth))
                .layer(item::layer()),
        )
        .route(
            "/slow",
            get(slow)
                .layer::<_, Infallible>(timeout())
                .layer(slow::layer()),
        )
        .route(
            "/panics",
            get(panics)
                .layer::<_, Infallible>(CatchPanicLayer::new())
                .layer(panics::layer()),
        )
        .route("/upload", post(upload).layer(upload::layer()))
        .route("/fails", get(fails).layer(fails::layer()))
        .route("/typed", post(typed).layer(typed::layer()))
        .route("/read-only", get(item).layer(item::layer()))
        .route("/narrow", get(narrow).post(narrow).layer(narrow::layer()))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// `/item`, for `GET` and `PUT`, under its `#[cors]` layer.
fn item_route() -> Router {
    Router::new().route("/item", get(item).put(item).layer(item::layer()))
}

/// The router-wide or per-route timeout: `408` after [`TIMEOUT`].
fn timeout() -> TimeoutLayer {
    TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, TIMEOUT)
}

/// Refuses every request without `Authorization`, preflights included, as a careless
/// authentication middleware does.
async fn auth(request: Request, next: Next) -> Result<Response, StatusCode> {
    if request.headers().contains_key(AUTHORIZATION) {
        Ok(next.run(request).await)
    } else {
        Err(StatusCode::UNAUTHORIZED)
    }
}

/// Answers `item`.
#[cors(policy = FRONTEND)]
async fn item() -> &'static str {
    "item"
}

/// Answers after [`SLOW`], unless a timeout answers first.
#[cors(policy = FRONTEND)]
async fn slow() -> &'static str {
    tokio::time::sleep(SLOW).await;
    "slow"
}

/// Always panics, for a `CatchPanicLayer` to answer `500`.
#[cors(policy = FRONTEND)]
async fn panics() -> &'static str {
    panic!("this handler always panics, for CatchPanicLayer to answer 500")
}

/// Answers its own error status.
#[cors(policy = FRONTEND)]
async fn fails() -> StatusCode {
    StatusCode::INTERNAL_SERVER_ERROR
}

/// Reads the whole body, and says how long it was.
#[cors(policy = FRONTEND)]
async fn upload(body: Bytes) -> String {
    format!("{} bytes", body.len())
}

/// Reads a JSON number; anything else is the extractor's rejection.
#[cors(policy = FRONTEND)]
async fn typed(Json(n): Json<u32>) -> String {
    n.to_string()
}

/// Lists `GET` alone for the page's origin, where the outer policy lists `POST` too.
#[cors(origins = ["http://localhost:3000"], methods = [GET])]
async fn narrow() -> &'static str {
    "narrow"
}
