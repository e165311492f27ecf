//! The service that answers preflights and finishes actual responses, and, with `csrf`, refuses
//! cross-origin writes and WebSocket handshakes first.

use std::task::{Context, Poll};

use http::{Request, Response};
use tower_service::Service;

use crate::decision::Asked;
use crate::response::{self, Finish};
use crate::{Decision, Handler, Policy, Refusal, ResponseFuture, Verdict, csrf, log};

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

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        let (policy, handler) = (self.policy, self.handler);
        if let Some(forbidden) = forbidden(policy, handler, &request) {
            return ResponseFuture::answered(forbidden);
        }
        let asked = Asked::read(request.method(), request.headers());
        let mut finish = match asked.decide(policy, request.method(), request.headers()) {
            Decision::Preflight(Verdict::Allowed(origin)) => {
                log::granted(handler, true);
                return ResponseFuture::answered(response::preflight_granted(
                    policy,
                    origin.value(),
                    request,
                ));
            }
            // another layer further in may list the method
            Decision::Preflight(Verdict::Refused(Refusal::MethodNotAllowed(method))) => {
                passed_on(handler, &asked, method, None)
            }
            Decision::Explained {
                origin,
                refusal: Refusal::MethodNotAllowed(method),
            } => passed_on(handler, &asked, method, Some(origin.value())),
            Decision::Explained { origin, refusal } => {
                log::refused(policy, handler, true, refusal);
                return ResponseFuture::answered(response::preflight_explained(
                    policy,
                    origin.value(),
                    request,
                ));
            }
            Decision::Preflight(Verdict::Refused(refusal)) => {
                log::refused(policy, handler, true, refusal);
                return ResponseFuture::answered(response::preflight_refused(policy, request));
            }
            Decision::Actual(Verdict::Allowed(origin)) => {
                log::granted(handler, false);
                Finish::Grant(origin.value())
            }
            Decision::Actual(Verdict::Refused(Refusal::MethodNotAllowed(method))) => {
                log::passed_on(handler, false, method);
                Finish::VaryOnly
            }
            Decision::Actual(Verdict::Refused(refusal)) => {
                log::refused(policy, handler, false, refusal);
                Finish::Refuse
            }
            Decision::NotCors => Finish::VaryOnly,
        };
        if let Finish::PreflightElsewhere { forwarded, .. } = &mut finish {
            *forwarded = response::forward(&mut request);
        }
        ResponseFuture::pending(self.inner.call(request), policy, handler, finish)
    }
}

/// The answer to a request the policy's `csrf` refuses, logged: `403` without CORS headers, and
/// the handler never called. Preflights, `OPTIONS` requests, pass.
fn forbidden<B, ResBody: Default>(
    policy: &'static Policy,
    handler: &'static Handler,
    request: &Request<B>,
) -> Option<Response<ResBody>> {
    let verdict = policy.protects(request.method(), request.uri(), request.headers());
    let Some(csrf::Verdict::Refuse(refusal)) = verdict else {
        return None;
    };
    log::forbidden(handler, refusal);
    Some(response::forbidden(policy))
}

/// What a layer waits for when it passes on a preflight for a method its policy does not list:
/// the requested method for the log, and the `Access-Control-Allow-Origin` its policy grants the
/// preflight's origin, if any, for the answer should no layer further in grant it.
fn passed_on(
    handler: &'static Handler,
    asked: &Asked<'_>,
    method: &[u8],
    origin: Option<http::HeaderValue>,
) -> Finish {
    log::passed_on(handler, true, method);
    let method = log::refusals_enabled()
        .then(|| asked.requested_method().cloned())
        .flatten();
    Finish::PreflightElsewhere {
        method,
        origin,
        forwarded: false,
    }
}
