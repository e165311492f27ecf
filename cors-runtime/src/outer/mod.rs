//! The layer added last, outside every other: [`outer`] answers preflights before any router-wide
//! layer sees them and makes the error answers of those layers readable, and [`watch`] only says,
//! with a `WARN`, when a CORS request was answered outside every `#[cors]` layer.
//!
//! A `#[cors]` layer marks the response of every request it receives from one of these layers,
//! so this layer can tell an answer the `#[cors]` layers finished from one made outside them: an
//! authentication middleware's `401`, a `TimeoutLayer`'s `408`, a `CatchPanicLayer`'s `500`, a
//! body limit's `413`, the router's `404`. Until either layer wraps a service, nothing is marked
//! and a `#[cors]` layer does not even look at the request's extensions: it reads one flag.

mod future;
#[cfg_attr(not(feature = "tracing"), path = "warn/silent.rs")]
mod warn;

use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use http::{Request, Response};
use tower_layer::Layer;
use tower_service::Service;

pub use future::OuterFuture;

use crate::decision::Asked;
use crate::response::{self, Finish};
use crate::{Decision, Policy, Verdict};

/// Put on a request by the outer layer: the `#[cors]` layers inside mark their answer.
#[derive(Clone, Copy, Debug)]
struct Watched;

/// Put on a response by a `#[cors]` layer that received a [`Watched`] request: its CORS headers
/// are settled.
#[derive(Clone, Copy, Debug)]
struct Finished;

/// Whether an outer layer has wrapped a service in this process: until one has, no request can
/// carry [`Watched`], and a `#[cors]` layer need not look for it.
static WATCHING: AtomicBool = AtomicBool::new(false);

/// Whether an outer layer waits to hear that a `#[cors]` layer finished this request.
#[inline]
pub(crate) fn is_watched<B>(request: &Request<B>) -> bool {
    // set before the outer service exists, so before it can mark any request
    WATCHING.load(Ordering::Relaxed) && request.extensions().get::<Watched>().is_some()
}

/// Marks `response` as finished by a `#[cors]` layer.
pub(crate) fn finished<B>(response: &mut Response<B>) {
    response.extensions_mut().insert(Finished);
}

/// A layer for the whole app, added last (`Router::layer` after every other, or outermost in a
/// `ServiceBuilder`), that applies `policy` to what no `#[cors]` layer answered: it answers every
/// preflight itself, so that none reaches a router-wide layer such as authentication, and finishes
/// with `policy`'s headers each response that no `#[cors]` layer finished (a router-wide layer's
/// `401`, `408`, `413` or `500`, the router's `404`), so that a page on an allowed origin can read
/// it. Responses a `#[cors]` layer finished are left as they are.
///
/// Preflights are then decided by `policy` for every route: give it the policy the routes share
/// (`cors_policy!`), or one that lists every origin, method and header the routes allow.
#[must_use]
pub const fn outer(policy: &'static Policy) -> OuterLayer {
    OuterLayer {
        policy: Some(policy),
    }
}

/// A layer for the whole app, added last, that changes no answer but logs a `WARN` (target
/// `cors_runtime`), once per path and status, when a CORS request is answered without passing
/// through any `#[cors]` layer although the app has some: a preflight answered by a layer outside
/// them, or an error status (`4xx`, `5xx`) made outside them. The event names the path and says
/// which order to write. The events come with the `tracing` feature (on by default); without it,
/// this layer only passes requests on.
#[must_use]
pub const fn watch() -> OuterLayer {
    OuterLayer { policy: None }
}

/// The layer [`outer`] and [`watch`] return.
#[derive(Clone, Copy, Debug)]
pub struct OuterLayer {
    policy: Option<&'static Policy>,
}

impl<S> Layer<S> for OuterLayer {
    type Service = Outer<S>;

    fn layer(&self, inner: S) -> Outer<S> {
        WATCHING.store(true, Ordering::Relaxed);
        Outer {
            inner,
            policy: self.policy,
        }
    }
}

/// The service an [`OuterLayer`] makes.
#[derive(Clone, Copy, Debug)]
pub struct Outer<S> {
    inner: S,
    policy: Option<&'static Policy>,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for Outer<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = OuterFuture<S::Future, ResBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        let asked = Asked::read(request.method(), request.headers());
        let seen = warn::Seen::of(&asked, &request);
        let Some(policy) = self.policy else {
            if seen.is_some() {
                request.extensions_mut().insert(Watched);
            }
            return OuterFuture::passed(self.inner.call(request), seen, None);
        };
        let finish = match asked.decide(policy, request.method(), request.headers()) {
            // preflights never carry credentials: answered here, before any router-wide layer
            Decision::Preflight(Verdict::Allowed(origin)) => {
                return OuterFuture::answered(response::preflight_granted(
                    policy,
                    origin.value(),
                    &mut request,
                ));
            }
            Decision::Explained { origin, .. } => {
                let answer = response::preflight_explained(policy, origin.value(), &mut request);
                return OuterFuture::answered(answer);
            }
            Decision::Preflight(Verdict::Refused(_)) => {
                return OuterFuture::answered(response::preflight_refused(policy, &mut request));
            }
            Decision::Actual(Verdict::Allowed(origin)) => Finish::Grant(origin.value()),
            Decision::Actual(Verdict::Refused(_)) => Finish::Refuse,
            // `Vary` too is owed on an answer made outside the `#[cors]` layers
            Decision::NotCors => Finish::VaryOnly,
        };
        request.extensions_mut().insert(Watched);
        OuterFuture::passed(self.inner.call(request), seen, Some((policy, finish)))
    }
}

/// Whether `response` was finished by a `#[cors]` layer.
pub(crate) fn is_finished<B>(response: &Response<B>) -> bool {
    response.extensions().get::<Finished>().is_some()
}
