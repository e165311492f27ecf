//! Serialized origins read byte by byte, as the `Origin` header of a request brings them: the
//! grammar [`parse`](super::parse) checks configured origins against, applied to untrusted input
//! without allocating.

use super::{HostPattern, MAX_ORIGIN_LEN, OriginPattern, PortPattern, Scheme, is_label_byte};

impl OriginPattern {
    /// Whether the serialized origin `origin` matches, label by label.
    #[inline]
    #[must_use]
    pub fn matches(&self, origin: &[u8]) -> bool {
        self.shape().matches(self.host.name().as_bytes(), origin)
    }

    /// The pattern's scheme, host kind and port, which [`Shape::matches`] reads beside its name.
    pub(super) fn shape(&self) -> Shape {
        Shape {
            scheme: self.scheme,
            subdomains: matches!(self.host, HostPattern::Subdomains(_)),
            port: self.port,
        }
    }
}

/// All of an [`OriginPattern`] but its host or domain name, small enough to sit in 32 bits
/// beside that name in an [`Index`](super::Index) slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Shape {
    scheme: Scheme,
    /// Whether the name is a domain whose subdomains match, else the one host that matches.
    subdomains: bool,
    port: PortPattern,
}

impl Shape {
    /// Whether the serialized origin `origin` matches the pattern of this shape whose host or
    /// domain is `name`: the one matcher of patterns.
    #[inline]
    pub(super) fn matches(self, name: &[u8], origin: &[u8]) -> bool {
        let Some(authority) = origin.strip_prefix(self.scheme.prefix().as_bytes()) else {
            return false;
        };
        if self.port == PortPattern::Default {
            // no port: the whole authority is the host, and a `:` in it matches no host
            return self.host_matches(name, authority);
        }
        let Some((host, port)) = split_host_port(authority) else {
            return false;
        };
        self.host_matches(name, host) && self.port.matches(port, self.scheme)
    }

    #[inline]
    fn host_matches(self, name: &[u8], host: &[u8]) -> bool {
        if !self.subdomains {
            return host == name;
        }
        host.strip_suffix(name)
            .and_then(|labels| labels.strip_suffix(b"."))
            .is_some_and(are_labels)
    }

    /// The shape in 32 bits: the scheme's place in [`Scheme::ALL`], the host kind, the port
    /// kind and the port.
    pub(super) fn pack(self) -> u32 {
        let scheme = Scheme::ALL
            .iter()
            .position(|&scheme| scheme == self.scheme)
            .unwrap_or_default();
        let (kind, number) = match self.port {
            PortPattern::Default => (0, 0),
            PortPattern::Exact(port) => (1, port),
            PortPattern::Any => (2, 0),
        };
        #[allow(clippy::cast_possible_truncation, reason = "ten schemes")]
        let scheme = scheme as u32;
        scheme << 24 | u32::from(self.subdomains) << 20 | kind << 16 | u32::from(number)
    }

    /// The shape [`pack`](Self::pack) made `packed` of; `None` for bits it never makes.
    #[inline]
    pub(super) fn unpack(packed: u32) -> Option<Self> {
        let scheme = *Scheme::ALL.get((packed >> 24) as usize)?;
        #[allow(clippy::cast_possible_truncation, reason = "the low sixteen bits")]
        let number = packed as u16;
        let port = match (packed >> 16) & 0xf {
            0 => PortPattern::Default,
            1 => PortPattern::Exact(number),
            2 => PortPattern::Any,
            _ => return None,
        };
        Some(Self {
            scheme,
            subdomains: packed & 1 << 20 != 0,
            port,
        })
    }
}

/// Splits `host[:port]` at the first `:`; an IPv6 host keeps its brackets. `None` when a `[`
/// is not closed or there is anything but a port after `]`.
pub(super) fn split_host_port(authority: &[u8]) -> Option<(&[u8], Option<&[u8]>)> {
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

/// Whether `prefix` is one or more non-empty labels joined by `.`, as in a serialized host.
#[inline]
fn are_labels(prefix: &[u8]) -> bool {
    // at the start of a label, where a `.` or the end would leave it empty
    let mut at_start = true;
    for &byte in prefix {
        if byte == b'.' {
            if at_start {
                return false;
            }
            at_start = true;
        } else if is_label_byte(byte) {
            at_start = false;
        } else {
            return false;
        }
    }
    !at_start
}

impl PortPattern {
    fn matches(self, port: Option<&[u8]>, scheme: Scheme) -> bool {
        match (self, port) {
            (Self::Default | Self::Any, None) => true,
            (Self::Exact(expected), Some(port)) => serialized_port(port, scheme) == Some(expected),
            (Self::Any, Some(port)) => serialized_port(port, scheme).is_some(),
            _ => false,
        }
    }
}

/// The port `port` names if it is written as browsers serialize one: 1 to 65535, no leading
/// zero, never the scheme's default (which they leave out).
fn serialized_port(port: &[u8], scheme: Scheme) -> Option<u16> {
    if port.is_empty() || port.len() > 5 || port[0] == b'0' || !port.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    let number = port
        .iter()
        .fold(0_u32, |n, &digit| n * 10 + u32::from(digit - b'0'));
    u16::try_from(number)
        .ok()
        .filter(|&number| Some(number) != scheme.default_port())
}

/// Whether `origin` has the shape of a serialized origin (fetch
/// `#ascii-serialisation-of-an-origin`) of any scheme, or is `null`: only used to explain a
/// refusal, never on the way to a decision.
#[must_use]
pub fn looks_serialized(origin: &[u8]) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    const SUBDOMAINS: OriginPattern = OriginPattern {
        scheme: Scheme::Https,
        host: HostPattern::subdomains("example.com"),
        port: PortPattern::Default,
    };

    const LOCALHOST_ANY_PORT: OriginPattern = OriginPattern {
        scheme: Scheme::Http,
        host: HostPattern::exact("localhost"),
        port: PortPattern::Any,
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
    fn an_exact_port_matches_only_as_serialized() {
        let pattern = OriginPattern {
            scheme: Scheme::Https,
            host: HostPattern::subdomains("example.com"),
            port: PortPattern::Exact(8443),
        };
        assert!(pattern.matches(b"https://a.example.com:8443"));
        assert!(!pattern.matches(b"https://a.example.com:08443"));
        assert!(!pattern.matches(b"https://a.example.com"));
    }

    #[test]
    fn ipv6_hosts_keep_their_brackets() {
        let pattern = OriginPattern {
            scheme: Scheme::Http,
            host: HostPattern::exact("[::1]"),
            port: PortPattern::Any,
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

    #[test]
    fn a_shape_unpacks_to_what_was_packed_and_nothing_else_unpacks() {
        for scheme in Scheme::ALL {
            for subdomains in [false, true] {
                for port in [
                    PortPattern::Default,
                    PortPattern::Any,
                    PortPattern::Exact(1),
                    PortPattern::Exact(u16::MAX),
                ] {
                    let shape = Shape {
                        scheme,
                        subdomains,
                        port,
                    };
                    assert_eq!(Shape::unpack(shape.pack()), Some(shape));
                }
            }
        }
        assert_eq!(Shape::unpack(u32::MAX), None);
        assert_eq!(Shape::unpack(3 << 16), None);
    }
}
