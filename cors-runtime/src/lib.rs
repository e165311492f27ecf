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
//! - a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) is answered `204`
//!   with the policy's headers when the policy allows its origin (even when it asks for a method
//!   or header the policy does not list, so that the browser names the one missing), or `403`
//!   with none, and never reaches the handler;
//! - any other request reaches the handler; its response gets `Access-Control-Allow-Origin` (and
//!   the rest) when the origin is allowed, nothing when it is not, and `Vary: Origin` whenever the
//!   answer depends on the origin.
//!
//! [`decide`] is the decision on its own, for logging or tests.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod audit;
#[cfg(feature = "browser")]
#[cfg_attr(docsrs, doc(cfg(feature = "browser")))]
pub mod browser;
mod build;
#[doc(hidden)]
pub mod csrf;
mod decision;
mod env;
mod explain;
mod future;
mod handler;
mod headers;
mod layer;
mod methods;
mod origin;
mod policy;
#[cfg(test)]
mod properties;
mod response;
mod service;
mod table;
#[cfg(test)]
mod testing;
mod vary;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use cors_macros::{cors, cors_policy};
pub use decision::{Decision, Refusal, Verdict, decide};
pub use env::EnvError;
pub use explain::Explanation;
pub use future::ResponseFuture;
pub use handler::Handler;
pub use layer::CorsLayer;
pub use origin::AllowOrigin;
pub use policy::Policy;
pub use service::Cors;
