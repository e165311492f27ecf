//! One configured origin: an exact serialized origin, a pattern, or `*`.
//!
//! Browsers send `Origin` as a serialized origin (fetch `#ascii-serialisation-of-an-origin`):
//! lowercase scheme, lowercase ASCII host, the port only when it is not the scheme's default, and
//! nothing else. A configured origin that is spelled any other way can never match, so every such
//! spelling is refused here with the spelling that would.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The longest `Origin` value that can match anything this crate accepts: `https://`, a host of
/// at most 253 bytes and `:65535`. Longer values are refused without being looked at.
pub const MAX_ORIGIN_LEN: usize = "https://".len() + MAX_HOST_LEN + ":65535".len();

/// The longest DNS name (RFC 1035 §2.3.4, without the final dot).
const MAX_HOST_LEN: usize = 253;

/// The longest DNS label.
const MAX_LABEL_LEN: usize = 63;

/// A configured origin, checked and in the form the browser sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllowedOrigin {
    /// `*`: every origin.
    Any,
    /// One serialized origin, byte-equal to the `Origin` header it allows.
    Exact(String),
    /// A pattern with a wildcard label or port.
    Pattern(OriginPattern),
}

/// An origin with a wildcard: `https://*.example.com`, `http://localhost:*`, or both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginPattern {
    /// The scheme every matching origin has.
    pub scheme: Scheme,
    /// Which hosts match.
    pub host: HostPattern,
    /// Which ports match.
    pub port: PortPattern,
}

/// The two schemes an allowed origin can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// `http`, default port 80.
    Http,
    /// `https`, default port 443.
    Https,
}

/// The host part of an [`OriginPattern`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostPattern {
    /// Exactly this host.
    Exact(String),
    /// Any host with one or more labels in front of this domain: `Subdomains("example.com")` is
    /// written `*.example.com` and matches `a.example.com` and `a.b.example.com`, never
    /// `example.com` itself.
    Subdomains(String),
}

/// The port part of an [`OriginPattern`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortPattern {
    /// The scheme's default port (no port in the serialized origin).
    Default,
    /// Exactly this port.
    Exact(u16),
    /// `:*`: any port, the default one included.
    Any,
}

impl Scheme {
    /// The scheme as written in an origin, without `://`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Https => "https",
        }
    }

    /// The port browsers leave out of the serialized origin.
    #[must_use]
    pub const fn default_port(self) -> u16 {
        match self {
            Self::Http => 80,
            Self::Https => 443,
        }
    }
}

impl AllowedOrigin {
    /// The scheme, or `None` for `*`.
    #[must_use]
    pub fn scheme(&self) -> Option<Scheme> {
        match self {
            Self::Any => None,
            Self::Exact(origin) => Some(if origin.starts_with("https:") {
                Scheme::Https
            } else {
                Scheme::Http
            }),
            Self::Pattern(pattern) => Some(pattern.scheme),
        }
    }

    /// Whether every host this entry allows is a loopback host (`localhost`, `*.localhost`,
    /// `127.0.0.0/8`, `[::1]`), which a network attacker cannot impersonate.
    #[must_use]
    pub fn is_loopback(&self) -> bool {
        let host = match self {
            Self::Any => return false,
            Self::Exact(origin) => split_authority(origin).0,
            Self::Pattern(pattern) => match &pattern.host {
                HostPattern::Exact(host) => host.as_str(),
                HostPattern::Subdomains(domain) => return domain == "localhost",
            },
        };
        is_loopback_host(host)
    }
}

/// The host of an already checked serialized origin, and its port text if any.
fn split_authority(origin: &str) -> (&str, Option<&str>) {
    let authority = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    match authority.rfind(':') {
        Some(colon) if !authority[colon..].contains(']') => {
            (&authority[..colon], Some(&authority[colon + 1..]))
        }
        _ => (authority, None),
    }
}

fn is_loopback_host(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// Checks one configured origin and returns it in the form the browser sends, or what is wrong
/// with it and what to write instead.
///
/// # Errors
/// A message in rustc's voice when `text` is not `*`, a serialized `http`/`https` origin, or a
/// pattern with a whole leftmost wildcard label and/or a whole wildcard port.
pub fn parse(text: &str) -> Result<AllowedOrigin, String> {
    if text == "*" {
        return Ok(AllowedOrigin::Any);
    }
    if text.is_empty() {
        return Err(
            "origin is empty; write a serialized origin such as `\"https://app.example.com\"`"
                .into(),
        );
    }
    if text.eq_ignore_ascii_case("null") {
        return Err(
            "the `null` origin cannot be allowed: sandboxed iframes, `file:` pages and redirects all send it, so any site can produce it; remove it"
                .into(),
        );
    }
    if text.contains(|c: char| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "origin must not contain whitespace; write `\"{}\"`",
            text.split_whitespace().collect::<String>()
        ));
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        return Err(missing_scheme(text));
    };
    let scheme = parse_scheme(scheme, rest)?;
    let rest = check_no_suffix(scheme, rest)?;
    if let Some((_, host)) = rest.rsplit_once('@') {
        return Err(format!(
            "origin must not contain user info (`user@`); write `\"{}://{host}\"`",
            scheme.as_str()
        ));
    }
    let (host, port) = split_host_port(scheme, rest)?;
    let host = parse_host(scheme, host, port)?;
    let port = parse_port(scheme, &host, port)?;
    Ok(match (host, port) {
        (HostPattern::Exact(host), PortPattern::Default) => {
            AllowedOrigin::Exact(format!("{}://{host}", scheme.as_str()))
        }
        (HostPattern::Exact(host), PortPattern::Exact(port)) => {
            AllowedOrigin::Exact(format!("{}://{host}:{port}", scheme.as_str()))
        }
        (host, port) => AllowedOrigin::Pattern(OriginPattern { scheme, host, port }),
    })
}

fn missing_scheme(text: &str) -> String {
    if let Some((scheme, _)) = text.split_once(':')
        && !scheme.is_empty()
        && scheme.bytes().all(|b| b.is_ascii_alphabetic())
        && !matches!(scheme, "localhost")
        && !text[scheme.len() + 1..].starts_with(|c: char| c.is_ascii_digit() || c == '*')
    {
        return unsupported_scheme(scheme);
    }
    let host = text.split(['/', '?', '#']).next().unwrap_or(text);
    let scheme = if is_loopback_host(host.split(':').next().unwrap_or(host)) {
        "http"
    } else {
        "https"
    };
    format!("origin must start with `https://` or `http://`; write `\"{scheme}://{host}\"`")
}

fn unsupported_scheme(scheme: &str) -> String {
    let why = if scheme.eq_ignore_ascii_case("file") {
        "pages opened from `file:` send `Origin: null`, which any site can produce; serve the page from a local server such as `http://localhost:8000` and list that origin"
    } else {
        "browsers enforce CORS only for `http://` and `https://` origins; remove it"
    };
    format!("`{scheme}:` origins cannot be allowed: {why}")
}

fn parse_scheme(scheme: &str, rest: &str) -> Result<Scheme, String> {
    match scheme {
        "https" => Ok(Scheme::Https),
        "http" => Ok(Scheme::Http),
        "*" => Err(format!(
            "the scheme cannot be a wildcard; list `\"https://{rest}\"` (and `\"http://{rest}\"` only if it is really served over plain HTTP) separately"
        )),
        _ if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http") => {
            Err(format!(
                "the scheme must be lowercase, as browsers send it; write `\"{}://{rest}\"`",
                scheme.to_ascii_lowercase()
            ))
        }
        _ => Err(unsupported_scheme(scheme)),
    }
}

/// Refuses a path, trailing slash, query or fragment, and returns the authority.
fn check_no_suffix(scheme: Scheme, rest: &str) -> Result<&str, String> {
    let Some(at) = rest.find(['/', '?', '#']) else {
        return Ok(rest);
    };
    let authority = &rest[..at];
    let what = match &rest[at..] {
        "/" => "must not end with `/`".to_owned(),
        tail if tail.starts_with('?') => "must not have a query".to_owned(),
        tail if tail.starts_with('#') => "must not have a fragment".to_owned(),
        tail => format!("must not have a path (`{tail}`)"),
    };
    Err(format!(
        "origin {what}: browsers send only scheme, host and port; write `\"{}://{authority}\"`",
        scheme.as_str()
    ))
}

/// Splits `host[:port]`, minding the brackets of an IPv6 host.
fn split_host_port(scheme: Scheme, authority: &str) -> Result<(&str, Option<&str>), String> {
    if authority.starts_with('[') {
        let Some(end) = authority.find(']') else {
            return Err("IPv6 host is missing its closing `]`".into());
        };
        let (host, tail) = authority.split_at(end + 1);
        return match tail.strip_prefix(':') {
            Some(port) => Ok((host, Some(port))),
            None if tail.is_empty() => Ok((host, None)),
            None => Err(format!(
                "unexpected `{tail}` after the IPv6 host; write `\"{}://{host}\"`",
                scheme.as_str()
            )),
        };
    }
    Ok(match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    })
}

fn parse_host(scheme: Scheme, host: &str, port: Option<&str>) -> Result<HostPattern, String> {
    let origin = |host: &str| match port {
        Some(port) => format!("`\"{}://{host}:{port}\"`", scheme.as_str()),
        None => format!("`\"{}://{host}\"`", scheme.as_str()),
    };
    if host.is_empty() {
        return Err(
            "origin has no host; write a host such as `\"https://app.example.com\"`".into(),
        );
    }
    if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.trim_end_matches(']');
        return match inner.parse::<Ipv6Addr>() {
            Ok(ip) if ip.to_string() == inner => Ok(HostPattern::Exact(host.to_owned())),
            Ok(ip) => Err(format!(
                "IPv6 host must be written as browsers serialize it; write {}",
                origin(&format!("[{ip}]"))
            )),
            Err(_) => Err(format!("`{host}` is not a valid IPv6 address")),
        };
    }
    if !host.is_ascii() {
        return Err(
            "host must be written in ASCII, as browsers send it; write the punycode (`xn--`) form of each non-ASCII label"
                .into(),
        );
    }
    if host.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(format!(
            "host must be lowercase, as browsers send it; write {}",
            origin(&host.to_ascii_lowercase())
        ));
    }
    if host.ends_with('.') {
        return Err(format!(
            "host must not end with `.`; write {}",
            origin(host.trim_end_matches('.'))
        ));
    }
    if let Some(domain) = host.strip_prefix("*.") {
        if domain.contains('*') {
            return Err(wildcard_not_leftmost(scheme, domain));
        }
        check_domain(domain)?;
        if is_ipv4_like(domain) {
            return Err(format!(
                "a wildcard label needs a domain name after it, not an IP address; write {}",
                origin(&format!("*.{domain}"))
            ));
        }
        return Ok(HostPattern::Subdomains(domain.to_owned()));
    }
    if host == "*" {
        return Err(
            "a wildcard host must be followed by a domain, as in `\"https://*.example.com\"`; to allow every origin write `\"*\"`"
                .into(),
        );
    }
    if host.contains('*') {
        return Err(wildcard_not_leftmost(scheme, host));
    }
    if is_ipv4_like(host) {
        return match host.parse::<Ipv4Addr>() {
            Ok(ip) if ip.to_string() == host => Ok(HostPattern::Exact(host.to_owned())),
            _ => Err(format!(
                "`{host}` is not an IPv4 address as browsers serialize it (four decimal numbers 0-255 without leading zeros)"
            )),
        };
    }
    check_domain(host)?;
    Ok(HostPattern::Exact(host.to_owned()))
}

fn wildcard_not_leftmost(scheme: Scheme, host: &str) -> String {
    let labels: Vec<&str> = host.split('.').collect();
    let last_wild = labels
        .iter()
        .rposition(|label| label.contains('*'))
        .unwrap_or(0);
    let mut domain: Vec<String> = labels[last_wild + 1..]
        .iter()
        .map(|l| (*l).to_owned())
        .collect();
    let partial = labels[last_wild].replace('*', "");
    if !partial.is_empty() {
        domain.insert(0, partial);
    }
    format!(
        "the wildcard must be a whole label, leftmost in the host; write `\"{}://*.{}\"`",
        scheme.as_str(),
        domain.join(".")
    )
}

fn is_ipv4_like(host: &str) -> bool {
    host.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        || host
            .rsplit('.')
            .next()
            .is_some_and(|last| !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
}

/// Checks a lowercase ASCII domain name: labels of letters, digits, `-` and `_`, none empty.
fn check_domain(domain: &str) -> Result<(), String> {
    if domain.len() > MAX_HOST_LEN {
        return Err(format!(
            "host is {} bytes long; a domain name has at most {MAX_HOST_LEN}",
            domain.len()
        ));
    }
    for label in domain.split('.') {
        if label.is_empty() {
            return Err(format!(
                "host `{domain}` has an empty label (`..` or a leading `.`)"
            ));
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(format!(
                "host label `{label}` is longer than {MAX_LABEL_LEN} bytes"
            ));
        }
        if let Some(bad) = label.chars().find(|&c| !is_label_char(c)) {
            return Err(format!(
                "`{bad}` cannot appear in a host; hosts are letters, digits, `-`, `_` and `.`"
            ));
        }
    }
    Ok(())
}

/// Whether `c` can appear in a label of a serialized host. The URL parser lets `_` through, and
/// Chromium sends it.
#[must_use]
pub const fn is_label_char(c: char) -> bool {
    matches!(c, 'a'..='z' | '0'..='9' | '-' | '_')
}

fn parse_port(
    scheme: Scheme,
    host: &HostPattern,
    port: Option<&str>,
) -> Result<PortPattern, String> {
    let Some(port) = port else {
        return Ok(PortPattern::Default);
    };
    let host = match host {
        HostPattern::Exact(host) => host.clone(),
        HostPattern::Subdomains(domain) => format!("*.{domain}"),
    };
    let write = |port: &str| format!("`\"{}://{host}{port}\"`", scheme.as_str());
    match port {
        "*" => Ok(PortPattern::Any),
        "" => Err(format!("the port after `:` is empty; write {}", write(""))),
        _ if port.contains('*') => Err(format!(
            "the port wildcard must be the whole port; write {}",
            write(":*")
        )),
        _ if !port.bytes().all(|b| b.is_ascii_digit()) => {
            Err(format!("port `{port}` is not a number"))
        }
        _ => match port.parse::<u16>() {
            Ok(0) | Err(_) => Err(format!("port {port} is out of range; a port is 1 to 65535")),
            Ok(number) if number == scheme.default_port() => Err(format!(
                "origin must not spell out the default port `:{number}`: browsers leave it out, so this would never match; write {}",
                write("")
            )),
            Ok(number) if number.to_string() != port => Err(format!(
                "port must be written without leading zeros; write {}",
                write(&format!(":{number}"))
            )),
            Ok(number) => Ok(PortPattern::Exact(number)),
        },
    }
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
