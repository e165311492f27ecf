//! What a layer does with a request: answer it on the spot or pass it inward, and what to do to
//! the answer that comes back. Decided from the request's method, URI and headers and the
//! layer's [`Declared`] policy alone, so that it is compiled once in this crate, not once for
//! each route's service.

use http::{HeaderMap, Method, Request, Response, Uri};

use crate::census::{Answerer, Member, Nested};
use crate::decision::Asked;
use crate::response::{self, Elsewhere, Finish};
use crate::{Decision, Handler, Policy, Refusal, Verdict, csrf, log};

/// What a [`Cors`](crate::Cors) layer decides with: its policy, whom it applies it for, and the
/// `#[cors]` layers inside its service.
#[derive(Clone, Debug)]
pub(crate) struct Declared {
    pub(crate) policy: &'static Policy,
    pub(crate) handler: &'static Handler,
    /// The `#[cors]` layers inside the inner service: a preflight this policy does not list goes
    /// on only to one that lists its method.
    pub(crate) nested: Nested,
}

/// What a layer does with a request, decided before the request is moved.
pub(crate) enum Step {
    /// Call the inner service, and finish its response so.
    Pass(Finish),
    /// Answer here; the handler is not called.
    Answer(Answer),
}

/// An answer a layer makes itself.
pub(crate) enum Answer {
    /// `403` without CORS headers: the policy's `csrf` refused the request.
    Forbidden,
    /// A granted preflight, with this `Access-Control-Allow-Origin`.
    Granted(http::HeaderValue),
    /// A preflight refused for its method or headers, from an origin allowed this
    /// `Access-Control-Allow-Origin`.
    Explained(http::HeaderValue),
    /// A preflight refused for its origin.
    Refused,
    /// A preflight for a method no layer lists, answered on behalf of this layer inside, or of
    /// this one when `None`.
    Unlisted(Option<Member>),
}

impl Declared {
    /// What the policy says about `request`: an answer made here, or what to do to the inner
    /// service's, on its way out. Refusals and grants are logged here.
    pub(crate) fn step(&self, method: &Method, uri: &Uri, headers: &HeaderMap) -> Step {
        let (policy, handler) = (self.policy, self.handler);
        let asked = Asked::read(method, headers);
        let decision = asked.decide(policy, method, headers);
        if forbidden(policy, handler, (method, uri, headers), &asked, &decision) {
            return Step::Answer(Answer::Forbidden);
        }
        let answer = match decision {
            Decision::Preflight(Verdict::Allowed(origin)) => {
                log::granted(handler, true);
                Answer::Granted(origin.value())
            }
            // another layer further in may list the method
            Decision::Preflight(Verdict::Refused(Refusal::MethodNotAllowed(method))) => {
                return self.unlisted(&asked, method, None);
            }
            Decision::Explained {
                origin,
                refusal: Refusal::MethodNotAllowed(method),
            } => return self.unlisted(&asked, method, Some(origin.value())),
            Decision::Explained { origin, refusal } => {
                log::refused(policy, handler, true, refusal);
                Answer::Explained(origin.value())
            }
            Decision::Preflight(Verdict::Refused(refusal)) => {
                log::refused(policy, handler, true, refusal);
                Answer::Refused
            }
            Decision::Actual(verdict) => return Step::Pass(self.actual(verdict)),
            Decision::NotCors => return Step::Pass(Finish::VaryOnly),
        };
        Step::Answer(answer)
    }

    /// The answer this layer makes to `request`, as [`step`](Self::step) decided.
    pub(crate) fn answer<ReqBody, ResBody: Default>(
        &self,
        answer: Answer,
        request: &mut Request<ReqBody>,
    ) -> Response<ResBody> {
        let policy = self.policy;
        match answer {
            Answer::Forbidden => response::forbidden(policy),
            Answer::Granted(origin) => response::preflight_granted(policy, origin, request),
            Answer::Explained(origin) => response::preflight_explained(policy, origin, request),
            Answer::Refused => response::preflight_refused(policy, request),
            Answer::Unlisted(member) => self.answer_unlisted(request, member),
        }
    }

    /// What to do to the handler's response to an actual request, once it comes back.
    fn actual(&self, verdict: Verdict<'_>) -> Finish {
        let (policy, handler) = (self.policy, self.handler);
        match verdict {
            Verdict::Allowed(origin) => {
                log::granted(handler, false);
                Finish::Grant(origin.value())
            }
            Verdict::Refused(Refusal::MethodNotAllowed(method)) => {
                log::passed_on(handler, false, method);
                Finish::VaryOnly
            }
            Verdict::Refused(refusal) => {
                log::refused(policy, handler, false, refusal);
                Finish::Refuse
            }
        }
    }

    /// A preflight for a method this policy does not list: passed on when a layer inside lists
    /// it, else answered here, so that it reaches no handler.
    fn unlisted(
        &self,
        asked: &Asked<'_>,
        method: &[u8],
        origin: Option<http::HeaderValue>,
    ) -> Step {
        match self.nested.answerer(method) {
            Answerer::FurtherIn => Step::Pass(passed_on(self.handler, asked, method, origin)),
            Answerer::Here(member) => Step::Answer(Answer::Unlisted(member)),
        }
    }

    /// The answer to a preflight for a method that neither this policy nor any layer inside it
    /// lists: the answer of the innermost layer inside, which the preflight would have reached
    /// last, or this layer's own when there is none.
    fn answer_unlisted<B: Default, ReqBody>(
        &self,
        request: &mut Request<ReqBody>,
        member: Option<Member>,
    ) -> Response<B> {
        let (policy, handler) = member.map_or((self.policy, self.handler), |member| {
            (member.policy, member.handler)
        });
        let asked = Asked::read(request.method(), request.headers());
        log::unanswered(policy, handler, asked.requested_method());
        let origin = match asked.decide(policy, request.method(), request.headers()) {
            Decision::Explained { origin, .. } => Some(origin.value()),
            _ => None,
        };
        match origin {
            Some(origin) => response::preflight_explained(policy, origin, request),
            None => response::preflight_refused(policy, request),
        }
    }
}

/// Whether the policy's `csrf` refuses the request, logged: it is answered `403` without CORS
/// headers, and the handler never called. Preflights, `OPTIONS` requests, pass.
fn forbidden(
    policy: &'static Policy,
    handler: &'static Handler,
    (method, uri, headers): (&Method, &Uri, &HeaderMap),
    asked: &Asked<'_>,
    decision: &Decision<'_>,
) -> bool {
    // without `csrf` nothing is asked; and `csrf` never refuses an origin the policy allows (a
    // property of `csrf::check`), so an origin the decision grants needs no second look
    if !policy.csrf()
        || asked.has_origin() && matches!(decision, Decision::Actual(Verdict::Allowed(_)))
    {
        return false;
    }
    let verdict = policy.protects(method, uri, headers);
    let Some(csrf::Verdict::Refuse(refusal)) = verdict else {
        return false;
    };
    log::forbidden(handler, refusal);
    true
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
    Finish::PreflightElsewhere(Box::new(Elsewhere {
        method,
        origin,
        forwarded: false,
    }))
}
