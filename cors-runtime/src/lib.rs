//! CORS for axum as a one-line, compile-time-checked declaration on each handler.
//!
//! ```
//! use axum::{Json, Router, routing::post};
//! use cors_runtime::cors;
//!
//! #[cors(origins = ["https://app.example.com", "http://localhost:3000"], credentials,
//!        methods = [GET, POST], headers = ["content-type", "x-api-key"],
//!        expose = ["x-request-id"], max_age = 600)]
//! async fn create_item(Json(item): Json<String>) -> Json<String> {
//!     Json(item)
//! }
//!
//! let app: Router = Router::new().route("/items", post(create_item).layer(create_item::layer()));
//! ```
//!
//! `#[cors]` checks the policy when the crate compiles (a trailing slash in an origin, `*` with
//! credentials, a forbidden header: each is a compile error pointing at the token, with the fix)
//! and leaves the handler as it was. Beside it, `create_item::layer()` returns a [`CorsLayer`]
//! built on a constant [`Policy`], which answers requests the way the
//! [Fetch standard](https://fetch.spec.whatwg.org/#http-cors-protocol) says, allocating nothing:
//!
//! - a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) for a method the
//!   policy lists is answered `204` with the policy's headers, and never reaches the handler; one
//!   for a method it does not list is passed on to a layer further in that lists it (another
//!   handler's on the same path), and never to a handler; a preflight that no layer grants is answered `204` with the policy's own
//!   lists when the policy allows its origin, so that the browser names the method or header that
//!   is missing, and `403` with no CORS headers otherwise;
//! - any other request reaches the handler; its response gets `Access-Control-Allow-Origin` (and
//!   the rest) when the origin is allowed, nothing when it is not, and `Vary: Origin` whenever the
//!   answer depends on the origin.
//!
//! [`decide`] is the decision on its own, for logging or tests: it says exactly what the layer
//! sends. With `csrf`, the layer first asks [`Policy::protects`], cross-origin write protection
//! ([`csrf`]), and answers `403` with no CORS headers when it refuses.
//!
//! The crate's modules, one concept each: `policy` (the policy and its one builder), `origin`
//! (the origins and their one lookup), `methods`, `request_headers`, `vary`, `decision` (the
//! pure decision), `refusal` (why, in words), `log` (the `tracing` events; `log/silent.rs` without
//! the `tracing` feature), `response` (the headers a response gets), the tower triple `layer`,
//! `service` and `future`, `route` (the handler's name and place), `census` (the layers inside a
//! layer), `env` and `startup` (origins read at startup), `origins` (sets that change at run
//! time), [`audit`], [`csrf`] (cross-origin write protection and WebSocket handshakes), `outer`
//! (answers made outside the `#[cors]` layers) and, with the `browser` feature, `browser` (a
//! model of what a browser does, for tests).
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod audit;
#[cfg(feature = "browser")]
#[cfg_attr(docsrs, doc(cfg(feature = "browser")))]
pub mod browser;
mod census;
pub mod csrf;
mod decision;
mod env;
mod future;
mod layer;
#[cfg_attr(not(feature = "tracing"), path = "log/silent.rs")]
mod log;
mod methods;
mod origin;
mod origins;
mod outer;
mod policy;
#[cfg(test)]
mod properties;
mod refusal;
mod request_headers;
mod response;
mod route;
mod service;
mod startup;
mod step;
#[cfg(test)]
mod testing;
mod vary;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use cors_macros::{cors, cors_policy};
pub use decision::{Decision, Verdict, decide};
pub use env::EnvError;
pub use future::ResponseFuture;
pub use layer::CorsLayer;
pub use origin::AllowOrigin;
pub use origins::{Origins, OriginsError};
pub use outer::{Outer, OuterFuture, OuterLayer, outer, watch};
pub use policy::Policy;
pub use refusal::{Explanation, Refusal};
pub use route::Handler;
pub use service::Cors;
