//! A policy's `csrf` flag, applied: what its layer asks [`check`](super::check) before the
//! request goes further.

use http::header::ORIGIN;
use http::{HeaderMap, Method, Uri};

use super::Verdict;
use crate::Policy;

impl Policy {
    /// Whether the policy has `csrf`: its layer refuses, with `403` and before the handler runs,
    /// the unsafe requests and WebSocket handshakes [`csrf::check`](super::check) refuses.
    #[must_use]
    pub const fn csrf(&self) -> bool {
        self.rules.csrf
    }

    /// What the policy's `csrf` says about a request with this method, target and headers: `None`
    /// when the policy has no `csrf`, else the verdict of [`csrf::check`](super::check), whose
    /// allowed origins are the policy's own, looked up exactly as the CORS decision looks them up
    /// (whatever their source: the attribute, the environment).
    ///
    /// The layer asks this after [`decide`](crate::decide), unless `decide` granted the
    /// request's origin: an origin the policy allows passes every check of `csrf`, so asking
    /// would only repeat the lookup. A refused request is answered `403` with no
    /// `Access-Control-*` header (and the policy's `Vary`), the handler is not called, and what
    /// `decide` said is not sent. Otherwise the layer sends what `decide` says.
    #[must_use]
    pub fn protects(&self, method: &Method, uri: &Uri, headers: &HeaderMap) -> Option<Verdict> {
        if !self.rules.csrf {
            return None;
        }
        Some(super::check(method, uri, headers, |origin| {
            // `check` asks about the one `Origin` line, the first; the CORS lookup answers
            headers.get(ORIGIN).is_some_and(|value| {
                value.as_bytes() == origin && self.origins.check(value, false).is_ok()
            })
        }))
    }
}
