//! The tower layer that applies one policy.

use tower_layer::Layer;

use crate::{Cors, Handler, Policy};

/// Applies a [`Policy`] to a service: per route with `MethodRouter::layer`, or to a whole
/// `Router`. Get one from `handler::layer()` beside a `#[cors]` handler.
///
/// Layers stack. Several on one path (`get(a).layer(a::layer()).post(b).layer(b::layer())`) each
/// answer for the methods their policy lists: a preflight is answered by the outermost layer that
/// lists its `Access-Control-Request-Method`, and refused when none does; an actual request gets
/// the headers of the outermost layer that lists its method, never two sets. A preflight goes on
/// only to a layer that lists its method, found when the layer is built by cloning its inner
/// service once, so it never reaches a handler, on any route shape.
#[derive(Clone, Copy, Debug)]
pub struct CorsLayer {
    policy: &'static Policy,
    handler: &'static Handler,
}

impl CorsLayer {
    /// A layer applying `policy` on behalf of `handler`, whose name its log events carry.
    #[must_use]
    pub const fn new(policy: &'static Policy, handler: &'static Handler) -> Self {
        Self { policy, handler }
    }

    /// The handler this layer was made for.
    #[must_use]
    pub const fn handler(&self) -> &'static Handler {
        self.handler
    }

    /// The policy this layer applies.
    #[must_use]
    pub const fn policy(&self) -> &'static Policy {
        self.policy
    }
}

impl<S: Clone> Layer<S> for CorsLayer {
    type Service = Cors<S>;

    fn layer(&self, inner: S) -> Cors<S> {
        Cors::new(inner, self.policy, self.handler)
    }
}
