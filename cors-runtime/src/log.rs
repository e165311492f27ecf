//! The `tracing` events that say what a layer decided.
//!
//! Every decision of a layer is an event with target `cors_runtime`: refusals at `DEBUG` (with the
//! handler, its source location and the reason; `csrf`'s refusals among them), grants and requests left to another layer at
//! `TRACE`. With no subscriber listening, an event costs one check of a cached flag.

use std::fmt;

use http::HeaderValue;

use crate::refusal::Text;
use crate::{Handler, Policy, Refusal};

/// Where a handler is declared, as `file:line`.
struct Location(&'static Handler);

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.0.file(), self.0.line())
    }
}

/// Whether anyone listens to refusals: decides whether a deferred preflight keeps its method
/// for the log.
pub(crate) fn refusals_enabled() -> bool {
    tracing::enabled!(target: "cors_runtime", tracing::Level::DEBUG)
}

/// A request this policy refused.
pub(crate) fn refused(
    policy: &'static Policy,
    handler: &'static Handler,
    preflight: bool,
    refusal: Refusal<'_>,
) {
    log_refusal(handler, preflight, refusal.explain(policy));
}

/// A request the policy's `csrf` refused: a cross-origin write or WebSocket handshake.
pub(crate) fn forbidden(handler: &'static Handler, refusal: crate::csrf::Refusal) {
    log_refusal(handler, false, refusal);
}

/// A preflight for a method that no layer on the route lists, refused by the innermost layer
/// it passed through, which says which methods it lists itself.
pub(crate) fn unanswered(
    policy: &'static Policy,
    handler: &'static Handler,
    method: Option<&HeaderValue>,
) {
    if let Some(method) = method {
        log_refusal(
            handler,
            true,
            format_args!(
                "no policy on this route lists method `{}` (this handler's lists `{}`)",
                Text(method.as_bytes()),
                Text(policy.allow_methods.as_bytes())
            ),
        );
    }
}

fn log_refusal(handler: &'static Handler, preflight: bool, reason: impl fmt::Display) {
    tracing::debug!(
        target: "cors_runtime",
        handler = handler.name(),
        location = %Location(handler),
        preflight,
        reason = %reason,
        "CORS request refused",
    );
}

/// A request this policy granted.
#[inline]
pub(crate) fn granted(handler: &'static Handler, preflight: bool) {
    tracing::trace!(
        target: "cors_runtime",
        handler = handler.name(),
        location = %Location(handler),
        preflight,
        "CORS request granted",
    );
}

/// A request whose method this policy does not list, left to another layer.
pub(crate) fn passed_on(handler: &'static Handler, preflight: bool, method: &[u8]) {
    tracing::trace!(
        target: "cors_runtime",
        handler = handler.name(),
        location = %Location(handler),
        preflight,
        method = %Text(method),
        "method not listed by this policy; left to another layer",
    );
}
