//! Why a request was refused, and the same in words for logs.

use std::fmt;

use cors_rules::origin::looks_serialized;
use http::HeaderValue;

use crate::Policy;

/// Why a CORS request was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal<'r> {
    /// More than one `Origin` header: browsers send exactly one.
    RepeatedOrigin,
    /// An origin the policy does not allow, well-formed or not (the [explanation](Refusal::explain)
    /// says which).
    OriginNotAllowed(&'r HeaderValue),
    /// A method (or `Access-Control-Request-Method`) that the policy does not list.
    MethodNotAllowed(&'r [u8]),
    /// A header in `Access-Control-Request-Headers` that the policy does not allow.
    HeaderNotAllowed(&'r [u8]),
    /// `Access-Control-Request-Headers` names more headers than the policy allows, so it repeats
    /// one (browsers never do) or names one that is not allowed: refused before looking further.
    TooManyHeaders,
}

/// A [`Refusal`] explained against the policy that made it, for logs:
/// ``method `PATCH` is not in `GET, POST` ``.
#[derive(Clone, Copy, Debug)]
pub struct Explanation<'a> {
    refusal: Refusal<'a>,
    policy: &'a Policy,
}

impl<'a> Refusal<'a> {
    /// This refusal, explained with the lists of `policy`.
    #[must_use]
    pub const fn explain(self, policy: &'a Policy) -> Explanation<'a> {
        Explanation {
            refusal: self,
            policy,
        }
    }
}

impl fmt::Display for Explanation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.refusal {
            Refusal::RepeatedOrigin => f.write_str("the request has more than one `Origin` header"),
            Refusal::OriginNotAllowed(origin) if !looks_serialized(origin.as_bytes()) => {
                f.write_str("`Origin` is not a serialized origin")
            }
            Refusal::OriginNotAllowed(origin) => {
                write!(f, "origin `{}` is not allowed", Text(origin.as_bytes()))
            }
            Refusal::TooManyHeaders => f.write_str(
                "`Access-Control-Request-Headers` names more headers than the policy allows, so it repeats or adds one",
            ),
            Refusal::MethodNotAllowed(method) => write!(
                f,
                "method `{}` is not in `{}`",
                Text(method),
                Text(self.policy.allow_methods.as_bytes())
            ),
            Refusal::HeaderNotAllowed(name) => match &self.policy.allow_headers {
                Some(allowed) => write!(
                    f,
                    "header `{}` is not in `{}`",
                    Text(name),
                    Text(allowed.as_bytes())
                ),
                None => write!(
                    f,
                    "header `{}` is not allowed: the policy allows no request header",
                    Text(name)
                ),
            },
        }
    }
}

/// Bytes from a request, shown as text with anything unprintable escaped.
pub(crate) struct Text<'a>(pub(crate) &'a [u8]);

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.escape_ascii())
    }
}
