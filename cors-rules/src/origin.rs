//! The origin grammar, in one place: what a configured origin may look like and how a serialized
//! `Origin` header is read.
//!
//! Browsers send `Origin` as a serialized origin (fetch `#ascii-serialisation-of-an-origin`):
//! lowercase scheme, lowercase ASCII host, the port only when it is not the scheme's default, and
//! nothing else. A configured origin that is spelled any other way can never match, so every such
//! spelling is refused by [`parse`] with the spelling that would. The same grammar, read byte by
//! byte, is what [`OriginPattern::matches`] and [`looks_serialized`] apply to requests at run time.
//!
//! Schemes are handled by [`Scheme`] alone: which ones are accepted, their `://` prefix, their
//! default port and what their hosts look like.

use std::borrow::Cow;
use std::fmt;
use std::net::Ipv4Addr;

mod index;
mod parse;
mod scheme;
mod serialized;

pub use index::Index;
pub use parse::parse;
pub use scheme::{HostRule, Scheme};
pub use serialized::looks_serialized;

/// The longest `Origin` value that can match anything this crate accepts: the longest
/// `scheme://`, a host of at most 253 bytes and `:65535`. Longer values are refused without being
/// looked at.
pub const MAX_ORIGIN_LEN: usize = Scheme::longest_prefix() + MAX_HOST_LEN + ":65535".len();

/// The longest DNS name (RFC 1035 §2.3.4, without the final dot).
const MAX_HOST_LEN: usize = 253;

/// The longest DNS label.
const MAX_LABEL_LEN: usize = 63;

/// A configured origin, checked and in the form the browser sends.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AllowedOrigin {
    /// `*`: every origin.
    Any,
    /// One serialized origin, byte-equal to the `Origin` header it allows.
    Exact(String),
    /// A pattern with a wildcard label or port.
    Pattern(OriginPattern),
}

/// An origin with a wildcard: `https://*.example.com`, `http://localhost:*`, or both.
///
/// Its parts are constant data, so `#[cors]` writes a pattern out as a `static`, and a pattern
/// read at startup owns its host.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OriginPattern {
    /// The scheme every matching origin has.
    pub scheme: Scheme,
    /// Which hosts match.
    pub host: HostPattern,
    /// Which ports match.
    pub port: PortPattern,
}

/// The host part of an [`OriginPattern`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum HostPattern {
    /// Exactly this host.
    Exact(Cow<'static, str>),
    /// Any host with one or more labels in front of this domain: `Subdomains("example.com")` is
    /// written `*.example.com` and matches `a.example.com` and `a.b.example.com`, never
    /// `example.com` itself.
    Subdomains(Cow<'static, str>),
}

/// The port part of an [`OriginPattern`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PortPattern {
    /// The scheme's default port (no port in the serialized origin).
    Default,
    /// Exactly this port.
    Exact(u16),
    /// `:*`: any port, the default one included.
    Any,
}

impl AllowedOrigin {
    /// The scheme, or `None` for `*`.
    #[must_use]
    pub fn scheme(&self) -> Option<Scheme> {
        match self {
            Self::Any => None,
            Self::Exact(origin) => Scheme::split(origin.as_bytes()).map(|(scheme, _)| scheme),
            Self::Pattern(pattern) => Some(pattern.scheme),
        }
    }

    /// Whether every host this entry allows is a loopback host (`localhost`, `*.localhost`,
    /// `127.0.0.0/8`, `[::1]`), which a network attacker cannot impersonate.
    #[must_use]
    pub fn is_loopback(&self) -> bool {
        let host = match self {
            Self::Any => return false,
            Self::Exact(origin) => {
                let host = Scheme::split(origin.as_bytes())
                    .and_then(|(_, authority)| serialized::split_host_port(authority))
                    .map(|(host, _)| host);
                return host
                    .and_then(|host| std::str::from_utf8(host).ok())
                    .is_some_and(is_loopback_host);
            }
            Self::Pattern(pattern) => match &pattern.host {
                HostPattern::Exact(host) => host,
                HostPattern::Subdomains(domain) => return domain == "localhost",
            },
        };
        is_loopback_host(host)
    }
}

impl HostPattern {
    /// Exactly `host`, from constant data.
    #[must_use]
    pub const fn exact(host: &'static str) -> Self {
        Self::Exact(Cow::Borrowed(host))
    }

    /// The subdomains of `domain`, from constant data.
    #[must_use]
    pub const fn subdomains(domain: &'static str) -> Self {
        Self::Subdomains(Cow::Borrowed(domain))
    }

    /// The host, or the domain whose subdomains match.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::Exact(name) | Self::Subdomains(name) => name,
        }
    }
}

/// The pattern as it is configured: `https://*.example.com`, `http://localhost:*`.
impl fmt::Display for OriginPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.scheme.prefix())?;
        match &self.host {
            HostPattern::Exact(host) => f.write_str(host)?,
            HostPattern::Subdomains(domain) => write!(f, "*.{domain}")?,
        }
        match self.port {
            PortPattern::Default => Ok(()),
            PortPattern::Exact(port) => write!(f, ":{port}"),
            PortPattern::Any => f.write_str(":*"),
        }
    }
}

fn is_loopback_host(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether `c` can appear in a label of a serialized host. The URL parser lets `_` through, and
/// Chromium sends it.
#[must_use]
pub const fn is_label_char(c: char) -> bool {
    matches!(c, 'a'..='z' | '0'..='9' | '-' | '_')
}

/// [`is_label_char`] for each byte value, so that a request's host is checked with one load a
/// byte.
const LABEL_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        // `byte` is below 256
        #[allow(clippy::cast_possible_truncation)]
        let c = byte as u8 as char;
        table[byte] = is_label_char(c);
        byte += 1;
    }
    table
};

/// Whether `byte` can appear in a label of a serialized host: [`is_label_char`], byte by byte.
#[inline]
#[must_use]
pub const fn is_label_byte(byte: u8) -> bool {
    LABEL_BYTES[byte as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(text: &str) -> AllowedOrigin {
        AllowedOrigin::Exact(text.to_owned())
    }

    #[track_caller]
    fn refused(text: &str, needle: &str) {
        let message = parse(text).expect_err(text);
        assert!(message.contains(needle), "{text}: {message}");
    }

    #[test]
    fn serialized_origins_are_kept_as_written() {
        for text in [
            "https://app.example.com",
            "http://localhost:3000",
            "http://127.0.0.1:8000",
            "http://[::1]:8080",
            "https://xn--bcher-kva.example",
            "https://a_b.example.com",
        ] {
            assert_eq!(parse(text), Ok(exact(text)));
        }
    }

    #[test]
    fn star_allows_every_origin() {
        assert_eq!(parse("*"), Ok(AllowedOrigin::Any));
    }

    #[test]
    fn subdomain_and_port_wildcards_become_patterns() {
        assert_eq!(
            parse("https://*.example.com"),
            Ok(AllowedOrigin::Pattern(OriginPattern {
                scheme: Scheme::Https,
                host: HostPattern::Subdomains("example.com".into()),
                port: PortPattern::Default,
            }))
        );
        assert_eq!(
            parse("http://localhost:*"),
            Ok(AllowedOrigin::Pattern(OriginPattern {
                scheme: Scheme::Http,
                host: HostPattern::Exact("localhost".into()),
                port: PortPattern::Any,
            }))
        );
    }

    #[test]
    fn each_misspelling_is_refused_with_the_spelling_that_matches() {
        refused("app.example.com", "write `\"https://app.example.com\"`");
        refused("localhost:3000", "write `\"http://localhost:3000\"`");
        refused("https://app.example.com/", "must not end with `/`");
        refused("https://app.example.com/api", "must not have a path");
        refused("https://app.example.com?x=1", "must not have a query");
        refused("https://app.example.com#top", "must not have a fragment");
        refused("https://user@app.example.com", "user info");
        refused(
            "HTTPS://app.example.com",
            "write `\"https://app.example.com\"`",
        );
        refused(
            "https://App.Example.com",
            "write `\"https://app.example.com\"`",
        );
        refused("https://app.example.com:443", "default port `:443`");
        refused("http://app.example.com:80", "default port `:80`");
        refused("https://app.example.com:70000", "out of range");
        refused("https://app.example.com:08080", "leading zeros");
        refused("https://bücher.example", "punycode");
        refused("file:///tmp/index.html", "`Origin: null`");
        refused("ftp://example.com", "`ftp:` origins");
        refused("null", "`null` origin");
        refused("", "empty");
        refused(" https://a.com", "whitespace");
        refused("https://[::0001]", "write `\"https://[::1]\"`");
        refused("http://127.1", "IPv4");
        refused("https://example.com.", "must not end with `.`");
        refused("https://a..example.com", "empty label");
    }

    #[test]
    fn misplaced_wildcards_are_refused() {
        refused("https://*example.com", "write `\"https://*.example.com\"`");
        refused(
            "https://a.*.example.com",
            "write `\"https://*.example.com\"`",
        );
        refused("*://example.com", "scheme cannot be a wildcard");
        refused("https://*", "to allow every origin write `\"*\"`");
        refused("http://localhost:3*", "write `\"http://localhost:*\"`");
        refused("https://*.0.0.1", "not an IP address");
    }

    #[test]
    fn patterns_display_as_configured() {
        for text in [
            "https://*.example.com",
            "http://localhost:*",
            "https://*.example.com:8443",
        ] {
            let Ok(AllowedOrigin::Pattern(pattern)) = parse(text) else {
                panic!("{text} is a pattern");
            };
            assert_eq!(pattern.to_string(), text);
        }
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        for text in [
            "http://localhost:3000",
            "http://127.0.0.1",
            "http://127.3.2.1:8080",
            "http://[::1]:8080",
            "http://*.localhost",
            "http://dev.localhost:*",
        ] {
            let origin = parse(text).unwrap();
            assert!(origin.is_loopback(), "{text}");
        }
        for text in [
            "http://app.example.com",
            "http://10.0.0.1",
            "http://localhost.evil.com",
            "*",
        ] {
            let origin = parse(text).unwrap();
            assert!(!origin.is_loopback(), "{text}");
        }
    }
}
