//! The app under measurement: the same routes and handlers in variants that differ only in the
//! layer on each route, and, for two of ours, in an outer layer on the whole router.
//!
//! Every route has the same policy but for its origins: two origins with credentials, `GET` and
//! `POST`, two request headers, one exposed header and a max-age. The tower-http variant says the
//! same with tower-http's builder, and each variant puts its layer on each route with
//! `MethodRouter::layer`, so that all of them pay axum's boxing of a layered route alike.

use std::convert::identity;
use std::fmt;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::handler::Handler;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderName, HeaderValue, Method, Request};
use axum::routing::{MethodRouter, get};
use cors_runtime::{CorsLayer, cors, cors_policy};
use tower::util::MapRequestLayer;
use tower_http::cors::AllowOrigin;

#[path = "origins.rs"]
mod origins;

/// The path of the route with the two-origin policy.
pub(crate) const API: &str = "/api";
/// The path of the route whose policy lists one origin.
pub(crate) const ORIGINS_1: &str = "/origins/1";
/// The path of the route whose policy lists 16 origins.
pub(crate) const ORIGINS_16: &str = "/origins/16";
/// The path of the route whose policy lists 256 origins.
pub(crate) const ORIGINS_256: &str = "/origins/256";
/// The path of the route whose policy allows the subdomains of `example.com`.
pub(crate) const SUBDOMAINS: &str = "/subdomains";
/// The path of the route with `/api`'s policy and `csrf`.
pub(crate) const CSRF: &str = "/csrf";

// the policy of `/api`, which `outer(&APP)` applies too
cors_policy!(
    APP,
    origins = ["https://app.example.com", "http://localhost:3000"],
    credentials,
    methods = [GET, POST],
    headers = ["content-type", "x-api-key"],
    expose = ["x-request-id"],
    max_age = 600
);

/// The two origins of `/api`.
const API_ORIGINS: [&str; 2] = ["https://app.example.com", "http://localhost:3000"];

/// The handler of `/api`, the route of most cases, with [`APP`].
#[cors(policy = APP)]
pub(crate) async fn api() -> &'static str {
    "ok"
}

/// The policy of `/csrf`: `/api`'s, and `csrf`, which the other variants do not have.
#[cors(
    origins = ["https://app.example.com", "http://localhost:3000"],
    credentials,
    methods = [GET, POST],
    headers = ["content-type", "x-api-key"],
    expose = ["x-request-id"],
    max_age = 600,
    csrf
)]
pub(crate) async fn protected() -> &'static str {
    "ok"
}

/// The policy of `/subdomains`: one or more labels in front of `example.com`, over `https`.
#[cors(
    origins = ["https://*.example.com"],
    credentials,
    methods = [GET, POST],
    headers = ["content-type", "x-api-key"],
    expose = ["x-request-id"],
    max_age = 600
)]
pub(crate) async fn subdomains() -> &'static str {
    "ok"
}

/// Which layer each route gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Variant {
    /// No layer at all: the floor.
    NoCors,
    /// A layer that does nothing, to show what axum itself costs for any layer on a route.
    EmptyLayer,
    /// tower-http's `CorsLayer` with the same policy.
    TowerHttp,
    /// `#[cors]`.
    Ours,
    /// `#[cors]`, and `cors_runtime::watch()` on the whole router, added last.
    Watched,
    /// `#[cors]`, and `cors_runtime::outer(&APP)` on the whole router, added last.
    Outer,
}

impl Variant {
    /// The variants with a layer on each route and none on the router; the load test serves
    /// these.
    pub(crate) const PER_ROUTE: [Self; 4] =
        [Self::NoCors, Self::EmptyLayer, Self::TowerHttp, Self::Ours];

    /// Ours with each outer layer on the whole router.
    pub(crate) const OUTER: [Self; 2] = [Self::Watched, Self::Outer];

    /// Every variant, in the order the tables show them: those, then ours with each outer layer.
    pub(crate) const ALL: [Self; 6] = [
        Self::NoCors,
        Self::EmptyLayer,
        Self::TowerHttp,
        Self::Ours,
        Self::Watched,
        Self::Outer,
    ];

    /// The variant's name in tables and benchmark ids.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Self::NoCors => "no-cors",
            Self::EmptyLayer => "empty-layer",
            Self::TowerHttp => "tower-http",
            Self::Ours => "ours",
            Self::Watched => "ours+watch",
            Self::Outer => "ours+outer",
        }
    }

    /// The app with this variant's layer on every route, finished with `with_state` as
    /// `axum::serve` does, so that no layer is cloned again per request.
    pub(crate) fn router(self) -> Router {
        let routes = [
            (
                API,
                get_and_post(api),
                api::layer(),
                AllowOrigin::list(API_ORIGINS.map(HeaderValue::from_static)),
            ),
            (
                ORIGINS_1,
                get_and_post(origins::one),
                origins::one::layer(),
                listed(1),
            ),
            (
                ORIGINS_16,
                get_and_post(origins::sixteen),
                origins::sixteen::layer(),
                listed(16),
            ),
            (
                ORIGINS_256,
                get_and_post(origins::many),
                origins::many::layer(),
                listed(256),
            ),
            (
                SUBDOMAINS,
                get_and_post(subdomains),
                subdomains::layer(),
                AllowOrigin::predicate(|origin, _| is_subdomain(origin.as_bytes())),
            ),
            (
                CSRF,
                get_and_post(protected),
                protected::layer(),
                AllowOrigin::list(API_ORIGINS.map(HeaderValue::from_static)),
            ),
        ];
        let app = routes
            .into_iter()
            .fold(Router::new(), |router, (path, route, ours, theirs)| {
                router.route(path, self.layered(route, ours, theirs))
            })
            .with_state(());
        match self {
            Self::Watched => app.layer(cors_runtime::watch()),
            Self::Outer => app.layer(cors_runtime::outer(&APP)),
            _ => app,
        }
    }

    /// `route` with this variant's layer: `ours` for our variant, tower-http's `CorsLayer` on the
    /// origins `theirs` for that one.
    fn layered(self, route: MethodRouter, ours: CorsLayer, theirs: AllowOrigin) -> MethodRouter {
        match self {
            Self::NoCors => route,
            Self::EmptyLayer => route.layer(MapRequestLayer::new(identity::<Request<Body>>)),
            Self::TowerHttp => route.layer(tower_http_layer(theirs)),
            Self::Ours | Self::Watched | Self::Outer => route.layer(ours),
        }
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// `handler` on `GET` and `POST`.
fn get_and_post<H: Handler<T, ()>, T: 'static>(handler: H) -> MethodRouter {
    get(handler.clone()).post(handler)
}

/// tower-http's `CorsLayer` with the policy of every `#[cors]` above but for its origins.
fn tower_http_layer(origins: AllowOrigin) -> tower_http::cors::CorsLayer {
    tower_http::cors::CorsLayer::new()
        .allow_origin(origins)
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([CONTENT_TYPE, HeaderName::from_static("x-api-key")])
        .expose_headers([HeaderName::from_static("x-request-id")])
        .max_age(Duration::from_mins(10))
}

/// The first `count` origins of the generated lists in `origins.rs`, for tower-http.
fn listed(count: usize) -> AllowOrigin {
    AllowOrigin::list((0..count).map(|i| {
        HeaderValue::try_from(format!("https://app{i}.example.com")).expect("a valid origin")
    }))
}

/// Whether `origin` is `https://` and one or more labels in front of `.example.com`, as
/// `"https://*.example.com"` matches in `#[cors]`.
fn is_subdomain(origin: &[u8]) -> bool {
    origin
        .strip_prefix(b"https://")
        .and_then(|host| host.strip_suffix(b".example.com"))
        .is_some_and(|labels| {
            labels.split(|&b| b == b'.').all(|label| {
                !label.is_empty()
                    && label
                        .iter()
                        .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            })
        })
}
