//! The decision engine: one pure function from a policy and a request to what CORS says about it.

use http::header::{ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use http::{HeaderMap, HeaderValue, Method};

use crate::origin::AllowOrigin;
use crate::{Policy, Refusal};

/// What a [`Policy`] says about one request: exactly what its layer sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision<'r> {
    /// Not a CORS request (no `Origin` header) to a policy whose answer depends on the origin: the
    /// handler answers as usual and the layer adds only `Vary`.
    NotCors,
    /// A preflight: `OPTIONS` with `Origin` and `Access-Control-Request-Method`.
    Preflight(Verdict<'r>),
    /// Any other request with `Origin` (an `OPTIONS` without `Access-Control-Request-Method`
    /// included), or any request at all to a policy that allows every origin, which sends `*`
    /// whether there is an `Origin` or not: the handler runs whatever the verdict.
    Actual(Verdict<'r>),
    /// A preflight refused for its method or headers, from an origin the policy allows: it is
    /// answered `204` with the policy's own lists and this `Access-Control-Allow-Origin`, but no
    /// `Access-Control-Max-Age`, so that the browser names the method or header that is missing
    /// (the lists disclose nothing a granted preflight would not). For a method the policy does
    /// not list, a layer further in (another handler's on the same path) may still grant it.
    Explained {
        /// The `Access-Control-Allow-Origin` the answer carries.
        origin: AllowOrigin<'r>,
        /// Why the preflight is refused.
        refusal: Refusal<'r>,
    },
}

/// Whether a CORS request is granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict<'r> {
    /// Granted, with the `Access-Control-Allow-Origin` to send.
    Allowed(AllowOrigin<'r>),
    /// Refused, and why.
    Refused(Refusal<'r>),
}

/// Decides what `policy` says about a request with this method and these headers: what the
/// policy's layer sends, header for header.
///
/// Pure and allocation-free: the same inputs always give the same decision, which borrows from
/// `headers` (the echoed origin, the refused name) and from the policy's constants.
///
/// With `csrf`, cross-origin write protection is a check of its own, made first:
/// [`Policy::protects`]. A request it refuses is answered `403` with no CORS headers and never
/// gets to this decision; every other request gets exactly what this decision says.
#[must_use]
pub fn decide<'r>(
    policy: &'static Policy,
    method: &'r Method,
    headers: &'r HeaderMap,
) -> Decision<'r> {
    Asked::read(method, headers).decide(policy, method, headers)
}

/// The CORS headers of a request, each read once.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Asked<'r> {
    /// The first `Origin`.
    origin: Option<&'r HeaderValue>,
    /// Whether `Origin` came more than once.
    repeated: bool,
    /// Whether the request is a preflight.
    preflight: bool,
    /// A preflight's one `Access-Control-Request-Method`; `None` when it came more than once,
    /// which names no method.
    requested: Option<&'r HeaderValue>,
}

impl<'r> Asked<'r> {
    /// Reads `Origin` and, on `OPTIONS`, `Access-Control-Request-Method`.
    #[allow(
        clippy::inline_always,
        reason = "measured: the layer's `Declared::step` is too large for the compiler to inline this on its own, and out of line the headers read go back through memory"
    )]
    #[inline(always)]
    pub(crate) fn read(method: &Method, headers: &'r HeaderMap) -> Self {
        let mut origins = headers.get_all(&ORIGIN).iter();
        let origin = origins.next();
        let repeated = origins.next().is_some();
        // only OPTIONS with Origin and Access-Control-Request-Method is a preflight
        // (fetch #cors-preflight-request); any other OPTIONS goes to the handler
        let (mut preflight, mut requested) = (false, None);
        if origin.is_some() && method == Method::OPTIONS {
            let mut lines = headers.get_all(&ACCESS_CONTROL_REQUEST_METHOD).iter();
            if let Some(first) = lines.next() {
                preflight = true;
                requested = lines.next().is_none().then_some(first);
            }
        }
        Self {
            origin,
            repeated,
            preflight,
            requested,
        }
    }

    /// Whether the request has `Origin`: a CORS request.
    pub(crate) fn has_origin(&self) -> bool {
        self.origin.is_some()
    }

    /// Whether the request is a preflight (for the outer layers' warning, made with `tracing`).
    #[cfg(feature = "tracing")]
    pub(crate) fn is_preflight(&self) -> bool {
        self.preflight
    }

    /// The preflight's `Access-Control-Request-Method`, if this is a preflight naming one.
    pub(crate) fn requested_method(&self) -> Option<&'r HeaderValue> {
        self.requested
    }

    /// What `policy` says about the request these headers came with.
    #[allow(
        clippy::inline_always,
        reason = "measured, as `read`: into the layer's `Declared::step`, where the decision is matched on at once"
    )]
    #[inline(always)]
    pub(crate) fn decide(
        self,
        policy: &'static Policy,
        method: &'r Method,
        headers: &'r HeaderMap,
    ) -> Decision<'r> {
        let Some(origin) = self.origin else {
            let answer = policy.origins.without_origin();
            return match answer {
                Some(origin) if policy.rules.methods.allows(method.as_str().as_bytes()) => {
                    Decision::Actual(Verdict::Allowed(origin))
                }
                _ => Decision::NotCors,
            };
        };
        if self.preflight {
            // a browser sends one method; two lines name no method this policy lists
            let requested = self.requested.map_or(&b""[..], HeaderValue::as_bytes);
            return self.preflight(policy, origin, requested, headers);
        }
        let method = method.as_str().as_bytes();
        if !policy.rules.methods.allows(method) {
            return Decision::Actual(Verdict::Refused(Refusal::MethodNotAllowed(method)));
        }
        Decision::Actual(policy.origins.check(origin, self.repeated).into())
    }

    fn preflight(
        self,
        policy: &'static Policy,
        origin: &'r HeaderValue,
        method: &'r [u8],
        headers: &'r HeaderMap,
    ) -> Decision<'r> {
        // the method first: a preflight for a method this policy does not list belongs to the
        // policy of the handler that serves it, further in
        let refused_method =
            (!policy.rules.methods.allows(method)).then_some(Refusal::MethodNotAllowed(method));
        let origin = match policy.origins.check(origin, self.repeated) {
            Ok(origin) => origin,
            Err(refusal) => {
                return Decision::Preflight(Verdict::Refused(refused_method.unwrap_or(refusal)));
            }
        };
        if let Some(refusal) = refused_method {
            return Decision::Explained { origin, refusal };
        }
        let requested = headers.get_all(&ACCESS_CONTROL_REQUEST_HEADERS).iter();
        match policy.rules.headers.check(requested) {
            Ok(()) => Decision::Preflight(Verdict::Allowed(origin)),
            Err(refusal) => Decision::Explained { origin, refusal },
        }
    }
}

impl<'r> From<Result<AllowOrigin<'r>, Refusal<'r>>> for Verdict<'r> {
    fn from(checked: Result<AllowOrigin<'r>, Refusal<'r>>) -> Self {
        match checked {
            Ok(origin) => Self::Allowed(origin),
            Err(refusal) => Self::Refused(refusal),
        }
    }
}

#[cfg(test)]
mod tests;
