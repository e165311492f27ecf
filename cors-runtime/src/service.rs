//! The service that answers preflights and finishes actual responses, and, with `csrf`, refuses
//! cross-origin writes and WebSocket handshakes first.

use std::task::{Context, Poll};

use http::{Request, Response};
use tower_service::Service;

use crate::census::Nested;
use crate::response::{self, Finish};
use crate::step::{Declared, Step};
use crate::{Handler, Policy, ResponseFuture};

/// A service wrapped in a CORS [`Policy`]; made by [`CorsLayer`](crate::CorsLayer).
#[derive(Debug)]
pub struct Cors<S> {
    inner: S,
    declared: Declared,
}

impl<S: Clone> Cors<S> {
    /// Wraps `inner` in `policy`, applied on behalf of `handler`, and counts the `#[cors]`
    /// layers inside `inner` by cloning it once.
    pub fn new(inner: S, policy: &'static Policy, handler: &'static Handler) -> Self {
        let nested = Nested::count(&inner);
        Self {
            inner,
            declared: Declared {
                policy,
                handler,
                nested,
            },
        }
    }
}

impl<S: Clone> Clone for Cors<S> {
    fn clone(&self) -> Self {
        // noted before `inner` is cloned, so that a census lists layers outermost first
        crate::census::note(self.declared.policy, self.declared.handler);
        Self {
            inner: self.inner.clone(),
            declared: self.declared.clone(),
        }
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for Cors<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, ResBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        // an outer layer waits to hear that this request went through a `#[cors]` layer
        let watched = crate::outer::is_watched(&request);
        // decided on a borrow, so that the request is moved once: into the answer or inward
        let declared = &self.declared;
        let (policy, handler) = (declared.policy, declared.handler);
        let mut finish = match declared.step(request.method(), request.uri(), request.headers()) {
            Step::Pass(finish) => finish,
            Step::Answer(answer) => {
                let response = declared.answer(answer, &mut request);
                return ResponseFuture::answered(response, policy, handler, watched);
            }
        };
        if let Finish::PreflightElsewhere(elsewhere) = &mut finish {
            elsewhere.forwarded = response::forward(&mut request);
        }
        ResponseFuture::pending(self.inner.call(request), policy, handler, finish, watched)
    }
}
