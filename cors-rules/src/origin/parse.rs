//! Configured origins checked at compile time or startup, each mistake refused with the spelling
//! that would match.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::serialized;
use super::{
    AllowedOrigin, HostPattern, HostRule, MAX_HOST_LEN, MAX_LABEL_LEN, OriginPattern, PortPattern,
    Scheme, is_label_char, is_loopback_host,
};

/// Checks one configured origin and returns it in the form the browser sends, or what is wrong
/// with it and what to write instead.
///
/// # Errors
/// A message in rustc's voice when `text` is not `*`, a serialized origin of a [`Scheme`], or an
/// `http`/`https` pattern with a whole leftmost wildcard label and/or a whole wildcard port.
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
            "the `null` origin cannot be allowed: sandboxed iframes, `file:` and `data:` pages and redirects all send it, so any site can produce it; serve the page from an origin of its own and list that, or remove it"
                .into(),
        );
    }
    if text.contains(|c: char| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "origin must not contain whitespace; write `\"{}\"`",
            text.split_whitespace().collect::<String>()
        ));
    }
    if let Some(message) = refused_scheme(text) {
        return Err(message);
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
    if !scheme.is_web()
        && let Some(origin) = parse_app(scheme, rest)?
    {
        return Ok(origin);
    }
    let (host, port) = split_host_port(scheme, rest)?;
    let host = parse_host(scheme, host, port)?;
    let port = parse_port(scheme, &host, port)?;
    Ok(match (host, port) {
        (HostPattern::Exact(host), PortPattern::Default) => {
            AllowedOrigin::Exact(format!("{}{host}", scheme.prefix()))
        }
        (HostPattern::Exact(host), PortPattern::Exact(port)) => {
            AllowedOrigin::Exact(format!("{}{host}:{port}", scheme.prefix()))
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
    format!(
        "`{scheme}:` origins cannot be allowed: browsers send `Origin: null` for pages of schemes that have no origin of their own; an origin's scheme is one of {}",
        Scheme::names()
    )
}

/// The schemes people list whose pages send `Origin: null`, another page's origin, or nothing:
/// what browsers send for each, and what to list instead.
fn refused_scheme(text: &str) -> Option<String> {
    let (scheme, rest) = text.split_once(':')?;
    let why = match scheme.to_ascii_lowercase().as_str() {
        "file" => "pages opened from `file:` send `Origin: null`, which any site can produce; serve the page from a local server such as `http://localhost:8000` and list that origin".to_owned(),
        "data" => "a `data:` document has an opaque origin and sends `Origin: null`, which any site can produce; serve the document from a page whose origin you list".to_owned(),
        "blob" => format!(
            "a `blob:` URL has the origin of the page that created it, and its requests send that origin; list the creator's origin{}",
            blob_creator(rest).map_or(String::new(), |creator| format!(", `\"{creator}\"`"))
        ),
        "about" => "`about:blank` and `about:srcdoc` documents send the origin of the page that created them, or `Origin: null`; list that page's origin".to_owned(),
        "javascript" => "a `javascript:` URL runs in the page that opened it and sends that page's origin; list that page's origin".to_owned(),
        "ftp" => "browsers no longer load `ftp:` pages (Chromium 95 and Firefox 90 removed FTP), so no request comes from one; serve the page over `https://` and list that origin".to_owned(),
        _ => return None,
    };
    Some(format!("`{scheme}:` origins cannot be allowed: {why}"))
}

/// The origin of the page that created the `blob:` URL whose text after `blob:` is `rest`.
fn blob_creator(rest: &str) -> Option<String> {
    let (scheme, authority) = rest.split_once("://")?;
    let authority = authority.split('/').next()?;
    match parse(&format!("{scheme}://{authority}")) {
        Ok(AllowedOrigin::Exact(origin)) => Some(origin),
        _ => None,
    }
}

/// An app or extension origin: never a wildcard (`chrome-extension://*` would be every
/// extension, and anyone can publish one), and, where the scheme takes an id, a host of that id's
/// shape and no port. `None` when the host is a name, to be checked as a web host is.
fn parse_app(scheme: Scheme, authority: &str) -> Result<Option<AllowedOrigin>, String> {
    if authority.contains('*') {
        return Err(format!(
            "`{}*` would allow every {kind}, and anyone can publish one; list each {kind} by its own origin, as in `\"{}\"`",
            scheme.prefix(),
            scheme.example(),
            kind = scheme.kind()
        ));
    }
    let rule = scheme.host_rule();
    if rule == HostRule::Name {
        return Ok(None);
    }
    let (host, port) = authority.split_once(':').unwrap_or((authority, ""));
    rule.check_id(scheme, host)?;
    if !port.is_empty() || authority.ends_with(':') {
        return Err(format!(
            "a `{}:` origin has no port; write `\"{}{host}\"`",
            scheme.as_str(),
            scheme.prefix()
        ));
    }
    Ok(Some(AllowedOrigin::Exact(format!(
        "{}{host}",
        scheme.prefix()
    ))))
}

fn parse_scheme(scheme: &str, rest: &str) -> Result<Scheme, String> {
    if let Some(scheme) = Scheme::from_name(scheme) {
        return Ok(scheme);
    }
    match scheme {
        "*" => Err(format!(
            "the scheme cannot be a wildcard; list `\"https://{rest}\"` (and `\"http://{rest}\"` only if it is really served over plain HTTP) separately"
        )),
        _ if Scheme::from_name(&scheme.to_ascii_lowercase()).is_some() => Err(format!(
            "the scheme must be lowercase, as browsers send it; write `\"{}://{rest}\"`",
            scheme.to_ascii_lowercase()
        )),
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

/// Splits `host[:port]` with the serialized-origin grammar, saying what is wrong when it does not.
fn split_host_port(scheme: Scheme, authority: &str) -> Result<(&str, Option<&str>), String> {
    if let Some((host, port)) = serialized::split_host_port(authority.as_bytes()) {
        // the split falls on ASCII `:` and `]`, so both parts are slices of `authority`
        let port = port.map(|port| &authority[authority.len() - port.len()..]);
        return Ok((&authority[..host.len()], port));
    }
    let Some(end) = authority.find(']') else {
        return Err("IPv6 host is missing its closing `]`".into());
    };
    let (host, tail) = authority.split_at(end + 1);
    Err(format!(
        "unexpected `{tail}` after the IPv6 host; write `\"{}{host}\"`",
        scheme.prefix()
    ))
}

fn parse_host(scheme: Scheme, host: &str, port: Option<&str>) -> Result<HostPattern, String> {
    let origin = |host: &str| match port {
        Some(port) => format!("`\"{}{host}:{port}\"`", scheme.prefix()),
        None => format!("`\"{}{host}\"`", scheme.prefix()),
    };
    if host.is_empty() {
        return Err(
            "origin has no host; write a host such as `\"https://app.example.com\"`".into(),
        );
    }
    if let Some(inner) = host.strip_prefix('[') {
        return parse_ipv6(host, inner.trim_end_matches(']'), origin);
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
        return parse_subdomains(scheme, domain, origin);
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
            Ok(ip) if ip.to_string() == host => Ok(HostPattern::Exact(host.to_owned().into())),
            _ => Err(format!(
                "`{host}` is not an IPv4 address as browsers serialize it (four decimal numbers 0-255 without leading zeros)"
            )),
        };
    }
    check_domain(host)?;
    Ok(HostPattern::Exact(host.to_owned().into()))
}

/// A bracketed IPv6 host, `inner` being what is inside the brackets; `origin` writes the fix.
fn parse_ipv6(
    host: &str,
    inner: &str,
    origin: impl Fn(&str) -> String,
) -> Result<HostPattern, String> {
    match inner.parse::<Ipv6Addr>() {
        Ok(ip) if ip.to_string() == inner => Ok(HostPattern::Exact(host.to_owned().into())),
        Ok(ip) => Err(format!(
            "IPv6 host must be written as browsers serialize it; write {}",
            origin(&format!("[{ip}]"))
        )),
        Err(_) => Err(format!("`{host}` is not a valid IPv6 address")),
    }
}

/// The `domain` after a leading `*.`; `origin` writes the fix.
fn parse_subdomains(
    scheme: Scheme,
    domain: &str,
    origin: impl Fn(&str) -> String,
) -> Result<HostPattern, String> {
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
    Ok(HostPattern::Subdomains(domain.to_owned().into()))
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

fn parse_port(
    scheme: Scheme,
    host: &HostPattern,
    port: Option<&str>,
) -> Result<PortPattern, String> {
    let Some(port) = port else {
        return Ok(PortPattern::Default);
    };
    let host = match host {
        HostPattern::Exact(host) => host.to_string(),
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
            Ok(number) if Some(number) == scheme.default_port() => Err(format!(
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
