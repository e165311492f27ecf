//! The CORS headers of a response: a preflight answered here, or the handler's response finished
//! on its way out.

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
};
use http::{HeaderMap, HeaderValue, Response, StatusCode};

use crate::origin::AllowOrigin;
use crate::{Handler, Policy, explain, vary};

/// `Access-Control-Allow-Credentials` is exactly `true` or absent (fetch `#http-access-control-allow-credentials`).
static TRUE: HeaderValue = HeaderValue::from_static("true");

/// What to do to the handler's response once it comes back.
#[derive(Debug)]
pub(crate) enum Finish {
    /// Grant the actual request: send this `Access-Control-Allow-Origin` and the policy's other
    /// headers, replacing any an inner layer sent.
    Grant(HeaderValue),
    /// Refuse the actual request: remove any grant an inner layer sent.
    Refuse,
    /// Nothing of this policy's applies; only `Vary` is kept right.
    VaryOnly,
    /// A preflight for a method this policy does not list: if no inner layer granted it, refuse it.
    PreflightElsewhere {
        /// The requested method, when refusals are logged.
        method: Option<HeaderValue>,
        /// The `Access-Control-Allow-Origin` this policy grants the preflight's origin, if any.
        origin: Option<HeaderValue>,
    },
}

impl Finish {
    /// Applies the decision to the response the inner service returned.
    pub(crate) fn apply<B: Default>(
        self,
        policy: &'static Policy,
        handler: &'static Handler,
        response: &mut Response<B>,
    ) {
        match self {
            Self::Grant(origin) => grant(policy, origin, response.headers_mut()),
            Self::Refuse => withdraw(response.headers_mut()),
            Self::VaryOnly => {}
            // a 403 without a grant is a refusal further in, already logged there
            Self::PreflightElsewhere { method, origin } => {
                if !response.headers().contains_key(ACCESS_CONTROL_ALLOW_ORIGIN)
                    && response.status() != StatusCode::FORBIDDEN
                {
                    explain::unanswered(policy, handler, method.as_ref());
                    *response = match origin {
                        Some(origin) => preflight_explained(policy, origin),
                        None => preflight_refused(policy, None),
                    };
                    return;
                }
            }
        }
        if policy.varies_with_origin() {
            vary::add_origin(response.headers_mut());
        }
    }
}

/// The answer to a granted preflight: `204` with every `Access-Control-Allow-*` header of the
/// policy; the handler is not called.
pub(crate) fn preflight_granted<B: Default>(
    policy: &Policy,
    origin: AllowOrigin<'_>,
) -> Response<B> {
    let mut response = preflight_explained(policy, origin.value());
    insert_some(
        response.headers_mut(),
        ACCESS_CONTROL_MAX_AGE,
        policy.max_age.as_ref(),
    );
    response
}

/// The answer to a refused preflight: for an origin the policy allows, refused for its method
/// or headers, [the policy's headers](preflight_explained); for any other, `403` and no
/// `Access-Control-Allow-*` header, so nothing of the policy is disclosed.
pub(crate) fn preflight_refused<B: Default>(
    policy: &Policy,
    allowed: Option<AllowOrigin<'_>>,
) -> Response<B> {
    if let Some(origin) = allowed {
        return preflight_explained(policy, origin.value());
    }
    let mut response = empty(StatusCode::FORBIDDEN, REFUSED_CAPACITY);
    if policy.varies_with_origin() {
        vary::add_origin_to_new(response.headers_mut());
    }
    response
}

/// `204` with the `Access-Control-Allow-*` headers a granted preflight sends to `origin`, but no
/// `Access-Control-Max-Age`: the answer to a preflight refused for its method or headers. The
/// browser compares the lists with what it asked for, so its console names the method or header
/// that is missing rather than an origin; they disclose nothing, since any granted preflight
/// sends them to this origin.
fn preflight_explained<B: Default>(policy: &Policy, origin: HeaderValue) -> Response<B> {
    let mut response = empty(StatusCode::NO_CONTENT, GRANTED_CAPACITY);
    let headers = response.headers_mut();
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    if policy.credentials {
        headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE.clone());
    }
    headers.insert(ACCESS_CONTROL_ALLOW_METHODS, policy.allow_methods.clone());
    insert_some(
        headers,
        ACCESS_CONTROL_ALLOW_HEADERS,
        policy.allow_headers.as_ref(),
    );
    if policy.varies_with_origin() {
        vary::add_origin_to_new(headers);
    }
    response
}

/// Room for the six headers of a granted preflight and two more: on the way out axum adds
/// `Content-Length` and, to what its fallback route (which receives preflights) returns, `Allow`.
/// A full map would grow, at the cost of two more allocations.
const GRANTED_CAPACITY: usize = 8;

/// Room for `Vary` and the two headers axum adds.
const REFUSED_CAPACITY: usize = 3;

fn empty<B: Default>(status: StatusCode, capacity: usize) -> Response<B> {
    let mut response = Response::new(B::default());
    *response.status_mut() = status;
    *response.headers_mut() = HeaderMap::with_capacity(capacity);
    response
}

/// Sends this policy's grant, replacing one an inner layer may have sent (the outermost layer
/// that lists the method answers, for actual requests as for preflights).
fn grant(policy: &Policy, origin: HeaderValue, headers: &mut HeaderMap) {
    let replaced = headers
        .insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin)
        .is_some();
    if policy.credentials {
        headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE.clone());
    } else if replaced {
        headers.remove(ACCESS_CONTROL_ALLOW_CREDENTIALS);
    }
    match &policy.expose_headers {
        Some(expose) => {
            headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
        }
        None if replaced => {
            headers.remove(ACCESS_CONTROL_EXPOSE_HEADERS);
        }
        None => {}
    }
}

/// Removes a grant an inner layer may have sent.
fn withdraw(headers: &mut HeaderMap) {
    if headers.remove(ACCESS_CONTROL_ALLOW_ORIGIN).is_some() {
        headers.remove(ACCESS_CONTROL_ALLOW_CREDENTIALS);
        headers.remove(ACCESS_CONTROL_EXPOSE_HEADERS);
    }
}

fn insert_some(headers: &mut HeaderMap, name: http::HeaderName, value: Option<&HeaderValue>) {
    if let Some(value) = value {
        headers.insert(name, value.clone());
    }
}
