//! Whether an `Origin` names the host a request was sent to
//! ([the request's own host](super#the-requests-own-host)).

use cors_rules::origin::Scheme;
use http::header::HOST;
use http::{HeaderMap, Uri};

use super::{Lines, lines};

/// Whether `origin`, one `Origin` value, is `http://` or `https://` and the host and port of the
/// request with this target and these headers.
pub(super) fn is_own(origin: &[u8], uri: &Uri, headers: &HeaderMap) -> bool {
    let (scheme, authority) = if let Some(rest) = origin.strip_prefix(b"https://") {
        (Scheme::Https, rest)
    } else if let Some(rest) = origin.strip_prefix(b"http://") {
        (Scheme::Http, rest)
    } else {
        return false;
    };
    // both schemes have one
    let Some(default_port) = scheme.default_port() else {
        return false;
    };
    let Some(origin) = Endpoint::parse(authority, default_port) else {
        return false;
    };
    // an absolute-form target (RFC 9112 §3.2.2) and HTTP/2's `:authority` (RFC 9113 §8.3.1) win
    // over `Host`
    let own = match uri.authority() {
        Some(target) => target.as_str().as_bytes(),
        None => match lines(headers, &HOST) {
            Lines::One(host) => host,
            // none, or several, which RFC 9112 §3.2 says to answer `400`: no host to match
            Lines::None | Lines::Many => return false,
        },
    };
    Endpoint::parse(own, default_port).is_some_and(|own| own.is(&origin))
}

/// A host and a port, as `host[:port]` names them.
#[derive(Debug)]
struct Endpoint<'a> {
    /// A registered name or IPv4 address, or an IPv6 address in brackets.
    host: &'a [u8],
    /// The port, or the default one when none was written.
    port: u16,
}

impl<'a> Endpoint<'a> {
    /// Parses `host[:port]` (RFC 3986 §3.2.2 and §3.2.3, without user information or
    /// percent-encoding, which neither browsers' `Origin` nor their `Host` contain), taking
    /// `default_port` when no port is written. `None` for anything else, an empty port included.
    fn parse(authority: &'a [u8], default_port: u16) -> Option<Self> {
        // one pass over a name: it ends at the first byte a name cannot hold
        let host_len = match authority.first()? {
            b'[' => authority.iter().position(|&b| b == b']')? + 1,
            _ => authority
                .iter()
                .position(|&b| !NAME[usize::from(b)])
                .unwrap_or(authority.len()),
        };
        let (host, rest) = authority.split_at(host_len);
        if host.is_empty() {
            return None;
        }
        if let [b'[', address @ .., b']'] = host
            && !is_ipv6(address)
        {
            return None;
        }
        let port = match rest {
            [] => default_port,
            [b':', digits @ ..] => port(digits)?,
            _ => return None,
        };
        Some(Self { host, port })
    }

    /// Whether both name the same host and port; names compare case-insensitively, as DNS does,
    /// after a plain comparison that settles the lowercase hosts browsers send.
    fn is(&self, other: &Endpoint<'_>) -> bool {
        self.port == other.port
            && (self.host == other.host || self.host.eq_ignore_ascii_case(other.host))
    }
}

/// The bytes of a registered name or IPv4 address: unreserved characters (RFC 3986 §2.3),
/// without percent-encoding, which browsers' hosts never contain.
static NAME: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0_u8;
    loop {
        table[b as usize] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        if b == u8::MAX {
            break table;
        }
        b += 1;
    }
};

/// Whether `address`, inside brackets, is made of what an IPv6 address is written with.
fn is_ipv6(address: &[u8]) -> bool {
    !address.is_empty()
        && address
            .iter()
            .all(|&b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
}

/// A port of one to five decimal digits up to 65535.
fn port(digits: &[u8]) -> Option<u16> {
    if digits.is_empty() || digits.len() > 5 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = digits
        .iter()
        .fold(0_u32, |value, &digit| value * 10 + u32::from(digit - b'0'));
    u16::try_from(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(origin: &str, host: &str) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, host.parse().unwrap());
        is_own(origin.as_bytes(), &Uri::from_static("/"), &headers)
    }

    #[test]
    fn an_origin_matches_its_own_host_and_port() {
        assert!(own("https://example.com", "example.com"));
        assert!(own("http://localhost:3000", "localhost:3000"));
        assert!(own("http://127.0.0.1:8080", "127.0.0.1:8080"));
        assert!(own("http://[::1]:3000", "[::1]:3000"));
        assert!(own("https://[2001:DB8::1]", "[2001:db8::1]"));
    }

    #[test]
    fn a_left_out_port_is_the_default_port_of_the_origins_scheme() {
        assert!(own("https://example.com", "example.com:443"));
        assert!(own("http://example.com:80", "example.com"));
        assert!(!own("http://example.com", "example.com:443"));
        assert!(!own("https://example.com", "example.com:80"));
        assert!(!own("https://example.com", "example.com:8443"));
        assert!(!own("http://localhost:3000", "localhost:3001"));
    }

    #[test]
    fn hosts_compare_case_insensitively() {
        assert!(own("https://example.com", "Example.COM"));
        assert!(!own("https://example.com", "example.org"));
        assert!(!own("https://a.example.com", "example.com"));
    }

    #[test]
    fn anything_but_a_serialized_http_origin_matches_no_host() {
        for origin in [
            "null",
            "example.com",
            "ftp://example.com",
            "HTTPS://example.com",
            "https://example.com/",
            "https://example.com/path",
            "https://user@example.com",
            "https://example.com:",
            "https://example.com:65536",
            "https://example.com:443x",
            "https://",
            "https://[::1",
            "https://[]",
            "https://exa mple.com",
        ] {
            assert!(!own(origin, "example.com"), "{origin}");
        }
    }

    #[test]
    fn a_malformed_host_matches_no_origin() {
        for host in [
            "",
            "example.com:",
            "a@example.com",
            "example.com/",
            "[::1]x",
        ] {
            assert!(!own("https://example.com", host), "{host:?}");
        }
    }

    #[test]
    fn the_targets_authority_wins_over_the_host_header() {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, "other.example".parse().unwrap());
        let target = Uri::from_static("https://example.com/path");
        assert!(is_own(b"https://example.com", &target, &headers));
        assert!(!is_own(b"https://other.example", &target, &headers));
    }
}
