//! Allowed origins and the `Access-Control-Allow-Origin` value they produce.

use cors_rules::origin::{MAX_ORIGIN_LEN, Scheme, is_label_char};
use http::HeaderValue;

use crate::Refusal;
use crate::table::Table;

/// The origins a policy allows.
#[derive(Debug)]
pub enum Origins {
    /// `*`: every origin, never with credentials.
    Any,
    /// Listed origins.
    List {
        /// Exact serialized origins; the entry itself becomes `Access-Control-Allow-Origin`.
        exact: Table<HeaderValue>,
        /// Patterns, tried in order when no exact origin matched.
        patterns: &'static [Pattern],
    },
}

/// An origin with a wildcard label, a wildcard port, or both.
#[derive(Debug)]
pub struct Pattern {
    /// The scheme of every matching origin.
    pub scheme: Scheme,
    /// Which hosts match.
    pub host: Host,
    /// Which ports match.
    pub port: Port,
}

/// The host part of a [`Pattern`].
#[derive(Debug)]
pub enum Host {
    /// Exactly this host.
    Exact(&'static str),
    /// One or more labels in front of this suffix, which starts with `.` (`".example.com"`).
    Subdomains(&'static str),
}

/// The port part of a [`Pattern`].
#[derive(Debug)]
pub enum Port {
    /// No port: the scheme's default.
    Default,
    /// Exactly this port, as digits.
    Exact(&'static str),
    /// Any port, the default (no port) included.
    Any,
}

/// The `Access-Control-Allow-Origin` a granted request gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllowOrigin<'r> {
    /// `*`, for an any-origin policy without credentials.
    Any,
    /// A listed origin, sent from the policy's own constant.
    Listed(&'r HeaderValue),
    /// A pattern matched: the request's `Origin`, echoed.
    Echo(&'r HeaderValue),
}

static ANY: HeaderValue = HeaderValue::from_static("*");

impl AllowOrigin<'_> {
    /// The header value to send.
    pub(crate) fn value(self) -> HeaderValue {
        let value: &HeaderValue = match self {
            Self::Any => &ANY,
            Self::Listed(value) | Self::Echo(value) => value,
        };
        value.clone()
    }
}

impl Origins {
    /// Whether these are all origins (`*`).
    pub(crate) const fn is_any(&self) -> bool {
        matches!(self, Self::Any)
    }

    /// Checks the request's one `Origin` value (`repeated` when it came with others).
    pub(crate) fn check<'r>(
        &self,
        origin: &'r HeaderValue,
        repeated: bool,
    ) -> Result<AllowOrigin<'r>, Refusal<'r>> {
        let Self::List { exact, patterns } = self else {
            // `*` is sent on every response, so nothing about `Origin` changes the answer
            return Ok(AllowOrigin::Any);
        };
        if repeated {
            return Err(Refusal::RepeatedOrigin);
        }
        let bytes = origin.as_bytes();
        // nothing longer can match, and patterns would scan it
        if bytes.len() <= MAX_ORIGIN_LEN {
            if let Some(listed) = exact.find(bytes) {
                return Ok(AllowOrigin::Listed(listed));
            }
            if patterns.iter().any(|pattern| pattern.matches(bytes)) {
                return Ok(AllowOrigin::Echo(origin));
            }
        }
        Err(Refusal::OriginNotAllowed(origin))
    }
}

/// Whether `origin` has the shape of a serialized origin (fetch
/// `#ascii-serialisation-of-an-origin`) or is `null`: only used to explain a refusal, never on
/// the way to a decision.
pub(crate) fn looks_serialized(origin: &[u8]) -> bool {
    if origin.len() > MAX_ORIGIN_LEN {
        return false;
    }
    if origin == b"null" {
        return true;
    }
    let Some(at) = origin.windows(3).position(|w| w == b"://") else {
        return false;
    };
    let (scheme, authority) = (&origin[..at], &origin[at + 3..]);
    scheme.first().is_some_and(u8::is_ascii_lowercase)
        && scheme.iter().all(|&b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.')
        })
        && !authority.is_empty()
        && authority.iter().all(|&b| {
            b.is_ascii_graphic()
                && !b.is_ascii_uppercase()
                && !matches!(b, b'/' | b'?' | b'#' | b'@')
        })
}

impl Pattern {
    /// Whether the serialized origin `origin` matches, label by label.
    pub(crate) fn matches(&self, origin: &[u8]) -> bool {
        let prefix: &[u8] = match self.scheme {
            Scheme::Http => b"http://",
            Scheme::Https => b"https://",
        };
        let Some(authority) = origin.strip_prefix(prefix) else {
            return false;
        };
        let Some((host, port)) = split_host_port(authority) else {
            return false;
        };
        self.host.matches(host) && self.port.matches(port, self.scheme)
    }
}

/// Splits `host[:port]`; an IPv6 host keeps its brackets. `None` when there is junk after `]`.
fn split_host_port(authority: &[u8]) -> Option<(&[u8], Option<&[u8]>)> {
    let host_end = if authority.first() == Some(&b'[') {
        authority.iter().position(|&b| b == b']')? + 1
    } else {
        authority
            .iter()
            .position(|&b| b == b':')
            .unwrap_or(authority.len())
    };
    let (host, tail) = authority.split_at(host_end);
    match tail {
        [] => Some((host, None)),
        [b':', port @ ..] => Some((host, Some(port))),
        _ => None,
    }
}

impl Host {
    fn matches(&self, host: &[u8]) -> bool {
        match self {
            Self::Exact(expected) => host == expected.as_bytes(),
            Self::Subdomains(suffix) => {
                host.strip_suffix(suffix.as_bytes()).is_some_and(are_labels)
            }
        }
    }
}

/// Whether `prefix` is one or more non-empty labels joined by `.`, as in a serialized host.
fn are_labels(prefix: &[u8]) -> bool {
    !prefix.is_empty()
        && prefix
            .split(|&b| b == b'.')
            .all(|label| !label.is_empty() && label.iter().all(|&b| is_label_char(char::from(b))))
}

impl Port {
    fn matches(&self, port: Option<&[u8]>, scheme: Scheme) -> bool {
        match (self, port) {
            (Self::Default | Self::Any, None) => true,
            (Self::Exact(expected), Some(port)) => port == expected.as_bytes(),
            (Self::Any, Some(port)) => is_serialized_port(port, scheme),
            _ => false,
        }
    }
}

/// Whether `port` is a port as browsers serialize it: 1 to 65535, no leading zero, never the
/// scheme's default (which they leave out).
fn is_serialized_port(port: &[u8], scheme: Scheme) -> bool {
    if port.is_empty() || port.len() > 5 || port[0] == b'0' || !port.iter().all(u8::is_ascii_digit)
    {
        return false;
    }
    let number = port
        .iter()
        .fold(0_u32, |n, &digit| n * 10 + u32::from(digit - b'0'));
    u16::try_from(number).is_ok_and(|number| number != scheme.default_port())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUBDOMAINS: Pattern = Pattern {
        scheme: Scheme::Https,
        host: Host::Subdomains(".example.com"),
        port: Port::Default,
    };

    const LOCALHOST_ANY_PORT: Pattern = Pattern {
        scheme: Scheme::Http,
        host: Host::Exact("localhost"),
        port: Port::Any,
    };

    #[test]
    fn a_subdomain_pattern_matches_one_or_more_labels_in_front_of_the_domain() {
        for origin in [
            "https://a.example.com",
            "https://a.b.example.com",
            "https://xn--d1a.example.com",
        ] {
            assert!(SUBDOMAINS.matches(origin.as_bytes()), "{origin}");
        }
    }

    #[test]
    fn a_subdomain_pattern_rejects_look_alikes() {
        for origin in [
            "https://example.com",
            "https://.example.com",
            "https://a..example.com",
            "https://evilexample.com",
            "https://a.example.com.evil.com",
            "http://a.example.com",
            "https://a.example.com:443",
            "https://a.example.com:8443",
            "https://A.example.com",
            "https://a@b.example.com",
            "https://a.example.com/",
            "null",
        ] {
            assert!(!SUBDOMAINS.matches(origin.as_bytes()), "{origin}");
        }
    }

    #[test]
    fn a_port_wildcard_matches_every_serialized_port_of_that_host() {
        for origin in [
            "http://localhost",
            "http://localhost:3000",
            "http://localhost:65535",
        ] {
            assert!(LOCALHOST_ANY_PORT.matches(origin.as_bytes()), "{origin}");
        }
        for origin in [
            "http://localhost:",
            "http://localhost:80",
            "http://localhost:0",
            "http://localhost:03000",
            "http://localhost:65536",
            "http://localhost:3000x",
            "http://localhost.evil.com:3000",
            "https://localhost:3000",
        ] {
            assert!(!LOCALHOST_ANY_PORT.matches(origin.as_bytes()), "{origin}");
        }
    }

    #[test]
    fn ipv6_hosts_keep_their_brackets() {
        let pattern = Pattern {
            scheme: Scheme::Http,
            host: Host::Exact("[::1]"),
            port: Port::Any,
        };
        assert!(pattern.matches(b"http://[::1]:8080"));
        assert!(pattern.matches(b"http://[::1]"));
        assert!(!pattern.matches(b"http://[::1]x"));
        assert!(!pattern.matches(b"http://[::1"));
    }

    #[test]
    fn refusals_tell_malformed_from_merely_unlisted() {
        assert!(looks_serialized(b"https://evil.com"));
        assert!(looks_serialized(b"null"));
        for bad in [
            &b"evil.com"[..],
            b"https://",
            b"https://a.com/",
            b"HTTPS://a.com",
            b"https://a b",
            b"https://\xff",
        ] {
            assert!(!looks_serialized(bad), "{bad:?}");
        }
    }
}
