//! What [`check`](super::check) says about a request, and why, small enough to copy into a log
//! event.

use std::fmt;

/// Whether cross-origin protection lets a request through, and the rule that decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The request may reach the handler.
    Pass(Pass),
    /// The request must be answered `403` without reaching the handler.
    Refuse(Refusal),
}

impl Verdict {
    /// Why the request is refused, or `None` when it passes.
    #[must_use]
    pub const fn refusal(self) -> Option<Refusal> {
        match self {
            Self::Pass(_) => None,
            Self::Refuse(refusal) => Some(refusal),
        }
    }
}

/// The rule that let a request through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pass {
    /// `GET`, `HEAD` or `OPTIONS`, and not a WebSocket handshake: a safe method changes nothing
    /// (RFC 9110 §9.2.1).
    SafeMethod,
    /// `Sec-Fetch-Site: same-origin`: the browser says a page of this origin sent it.
    SameOrigin,
    /// `Sec-Fetch-Site: none`: the user sent it (a bookmark, the address bar), no page did.
    UserInitiated,
    /// No `Origin` (or an empty one) and, for a write, no `Sec-Fetch-Site` either: not sent by a
    /// browser, or by one older than both headers.
    NoOrigin,
    /// `Origin` names the host and port the request was sent to.
    OriginIsHost,
    /// The policy allows the request's `Origin`.
    AllowedOrigin,
}

/// Why a request was refused, for the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// An unsafe method that `Sec-Fetch-Site` marks as sent by another origin, from an origin the
    /// policy does not allow: cross-site request forgery.
    CrossSiteWrite {
        /// What `Sec-Fetch-Site` said.
        sec_fetch_site: Site,
    },
    /// An unsafe method without `Sec-Fetch-Site` (a browser from before 2023) whose `Origin` is
    /// neither the request's own host nor allowed by the policy.
    OriginNotHost,
    /// A WebSocket handshake whose `Origin` is neither the request's own host nor allowed by the
    /// policy: cross-site WebSocket hijacking.
    WebSocketFromOtherOrigin,
    /// More than one `Origin` line where the verdict rests on `Origin`: browsers send one.
    RepeatedOrigin,
}

/// A `Sec-Fetch-Site` that marks a request as sent by another origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Site {
    /// `same-site`: another origin of the same site, such as another subdomain.
    SameSite,
    /// `cross-site`: a page of another site.
    CrossSite,
    /// A value Fetch Metadata does not define: taken as another origin, as Go does.
    Unknown,
    /// Two or more lines, which no browser sends.
    Repeated,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CrossSiteWrite { sec_fetch_site } => write!(
                f,
                "a write marked cross-origin by `Sec-Fetch-Site` ({sec_fetch_site}) from an origin the policy does not allow"
            ),
            Self::OriginNotHost => f.write_str(
                "a write without `Sec-Fetch-Site` whose `Origin` is neither the request's host nor allowed",
            ),
            Self::WebSocketFromOtherOrigin => f.write_str(
                "a WebSocket handshake whose `Origin` is neither the request's host nor allowed",
            ),
            Self::RepeatedOrigin => f.write_str("the request has more than one `Origin` header"),
        }
    }
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SameSite => "`same-site`",
            Self::CrossSite => "`cross-site`",
            Self::Unknown => "a value Fetch Metadata does not define",
            Self::Repeated => "more than one line",
        })
    }
}
