//! The service that answers preflights and finishes actual responses.

use std::task::{Context, Poll};

use http::header::ACCESS_CONTROL_REQUEST_METHOD;
use http::{Request, Response};
use tower_service::Service;

use crate::origin::AllowOrigin;
use crate::response::{self, Finish};
use crate::{
    Decision, Handler, Policy, Refusal, ResponseFuture, Verdict, decide, decision, explain,
};

/// A service wrapped in a CORS [`Policy`]; made by [`CorsLayer`](crate::CorsLayer).
#[derive(Clone, Copy, Debug)]
pub struct Cors<S> {
    inner: S,
    policy: &'static Policy,
    handler: &'static Handler,
}

impl<S> Cors<S> {
    /// Wraps `inner` in `policy`, applied on behalf of `handler`.
    pub const fn new(inner: S, policy: &'static Policy, handler: &'static Handler) -> Self {
        Self {
            inner,
            policy,
            handler,
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

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let (policy, handler) = (self.policy, self.handler);
        let finish = match decide(policy, request.method(), request.headers()) {
            Decision::Preflight(Verdict::Allowed(origin)) => {
                explain::granted(handler, true);
                return ResponseFuture::answered(response::preflight_granted(policy, origin));
            }
            // another layer further in may list the method
            Decision::Preflight(Verdict::Refused(Refusal::MethodNotAllowed(method))) => {
                explain::passed_on(handler, true, method);
                let logged = explain::refusals_enabled().then(|| {
                    request
                        .headers()
                        .get(ACCESS_CONTROL_REQUEST_METHOD)
                        .cloned()
                });
                Finish::PreflightElsewhere {
                    method: logged.flatten(),
                    origin: decision::allowed_origin(policy, request.headers())
                        .map(AllowOrigin::value),
                }
            }
            Decision::Preflight(Verdict::Refused(refusal)) => {
                explain::refused(policy, handler, true, refusal);
                return ResponseFuture::answered(response::preflight_refused(
                    policy,
                    decision::allowed_origin(policy, request.headers()),
                ));
            }
            Decision::Actual(Verdict::Allowed(origin)) => {
                explain::granted(handler, false);
                Finish::Grant(origin.value())
            }
            Decision::Actual(Verdict::Refused(Refusal::MethodNotAllowed(method))) => {
                explain::passed_on(handler, false, method);
                Finish::VaryOnly
            }
            Decision::Actual(Verdict::Refused(refusal)) => {
                explain::refused(policy, handler, false, refusal);
                Finish::Refuse
            }
            // an any-origin policy sends `*` on every response, so caches need no `Vary`
            Decision::NotCors
                if policy.origins.is_any()
                    && policy.methods.allows(request.method().as_str().as_bytes()) =>
            {
                Finish::Grant(AllowOrigin::Any.value())
            }
            Decision::NotCors => Finish::VaryOnly,
        };
        ResponseFuture::pending(self.inner.call(request), policy, handler, finish)
    }
}
