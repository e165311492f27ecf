//! Cross-origin write protection and WebSocket handshake checks: whether a browser was made to
//! send a request by a page of another origin, decided from the request's headers alone.
//!
//! CORS only decides who may *read* a response. A browser still *sends* a cross-origin form
//! `POST`, with cookies, and a WebSocket handshake is never checked by CORS at all. [`check`]
//! refuses both kinds of forgery before the handler runs. It follows the algorithm of Go 1.25's
//! [`net/http.CrossOriginProtection`](https://pkg.go.dev/net/http#CrossOriginProtection), which
//! tower-http 0.7's `csrf` module also follows: a browser's own
//! [`Sec-Fetch-Site`](https://www.w3.org/TR/fetch-metadata/#sec-fetch-site-header) first (Fetch
//! Metadata, sent by Chromium since 76, Firefox since 90 and Safari since 16.4), and, where it is
//! missing, the host of `Origin` against the host the request was sent to. It adds what those
//! leave open: a WebSocket handshake is a `GET`, which they let through.
//!
//! # The rules
//!
//! Read top to bottom; the first row that fits decides. "Allowed" means the `allowed` argument
//! of [`check`] says yes to the request's one `Origin` value. "Own host" means `Origin` is
//! `http://` or `https://` followed by the host and port of the request
//! ([below](#the-requests-own-host)).
//!
//! | request | `Sec-Fetch-Site` | `Origin` | verdict |
//! |---|---|---|---|
//! | `GET` with `Upgrade: websocket` | not read | absent or empty | pass, [`Pass::NoOrigin`] |
//! | 〃 | 〃 | own host | pass, [`Pass::OriginIsHost`] |
//! | 〃 | 〃 | allowed | pass, [`Pass::AllowedOrigin`] |
//! | 〃 | 〃 | two or more lines | refuse, [`Refusal::RepeatedOrigin`] |
//! | 〃 | 〃 | any other | refuse, [`Refusal::WebSocketFromOtherOrigin`] |
//! | any other `GET`, `HEAD`, `OPTIONS` | any | any | pass, [`Pass::SafeMethod`] |
//! | any other method | `same-origin` | any | pass, [`Pass::SameOrigin`] |
//! | 〃 | `none` | any | pass, [`Pass::UserInitiated`] |
//! | 〃 | `same-site`, `cross-site`, another value, two or more lines | allowed | pass, [`Pass::AllowedOrigin`] |
//! | 〃 | 〃 | any other, or absent | refuse, [`Refusal::CrossSiteWrite`] |
//! | 〃 | absent or empty | absent or empty | pass, [`Pass::NoOrigin`] |
//! | 〃 | 〃 | own host | pass, [`Pass::OriginIsHost`] |
//! | 〃 | 〃 | allowed | pass, [`Pass::AllowedOrigin`] |
//! | 〃 | 〃 | two or more lines | refuse, [`Refusal::RepeatedOrigin`] |
//! | 〃 | 〃 | any other | refuse, [`Refusal::OriginNotHost`] |
//!
//! `Sec-Fetch-Site` and `Origin` are compared byte for byte as they arrive: hyper, like Go's
//! parser, has already taken off the whitespace around a header value, and a value that is not
//! UTF-8 is just bytes that match nothing. Nothing is allocated, every header is read at most once, and the work is
//! linear in the size of the headers read, so a huge or hostile header costs what reading it
//! costs.
//!
//! A request counts as a WebSocket handshake on its `Upgrade` header alone: any line, any
//! comma-separated item, `websocket` in any case, with or without a `/version`. `Connection:
//! upgrade` is not required. The check must cover every request an upgrade handler might accept
//! (axum's `WebSocketUpgrade` reads `Upgrade` and `Connection` more narrowly), and a foreign
//! request that is no valid handshake loses nothing by being refused. An HTTP/2 handshake
//! (RFC 8441) is a `CONNECT`, an unsafe method, so the write rules below cover it: its
//! `:protocol` pseudo-header is not among the headers.
//!
//! # The request's own host
//!
//! The host the request was sent to is the authority of its target when it has one (an
//! absolute-form target, which RFC 9112 §3.2.2 says wins over `Host`, and HTTP/2's `:authority`,
//! which `http::Request` keeps in `uri().authority()`), else its one `Host` line. Two `Host`
//! lines (a request RFC 9112 §3.2 says to answer `400`), none, or a malformed one give no host,
//! which no `Origin` matches.
//!
//! `Origin` matches when its scheme is `http` or `https` (lowercase, as browsers serialize it),
//! and its host and port are those of the request. Hosts compare ASCII case-insensitively, as DNS names do; an IPv6 host keeps its
//! brackets. A port left out is the default port of the `Origin`'s scheme, on both sides, since
//! `Host` has no scheme. Anything but a serialized origin (a path, user information, `null`, an
//! empty port) matches nothing.
//!
//! # Where this differs from Go and tower-http, and why
//!
//! - **WebSocket handshakes** are checked: Go and tower-http let every `GET` through, which is
//!   the opening for cross-site WebSocket hijacking. The check is the one RFC 6455 §10.2 asks of
//!   servers and that gorilla's `CheckOrigin` makes: `Origin` against the host.
//!   `Sec-Fetch-Site` is not read for them, since every browser sends `Origin` on a handshake
//!   (RFC 6455 §4.1).
//! - **Two `Sec-Fetch-Site` lines** count as a cross-origin value ([`Site::Repeated`]), as one
//!   line `same-origin, cross-site` does. Go and tower-http read the first line only. A browser
//!   sends one, so only a forged request sees this, and it is refused unless its origin is
//!   allowed.
//! - **Two `Origin` lines** are refused where the verdict rests on `Origin`: no single origin
//!   can be allowed or compared. Go and tower-http read the first. The CORS decision refuses them
//!   too.
//! - **Two `Host` lines** give no host; Go's server refuses such a request before any handler.
//! - **Default ports**: `Host: example.com:443` matches `Origin: https://example.com`, and
//!   `Host: example.com` matches `Origin: http://example.com:80`. Go and tower-http compare the
//!   bytes and refuse both, although each pair names one origin. Some clients and proxies write
//!   the default port into `Host`; browsers never write it into `Origin`.
//! - **Host case**: `Host: Example.COM` matches `Origin: https://example.com`, as gorilla's
//!   check does. Go compares bytes.
//! - **Stricter `Origin`**: an `Origin` with a path, user information or another scheme never
//!   matches the host. Go parses it as a URL and compares only its host, so
//!   `Origin: https://user@example.com/path` matches `Host: example.com`. Browsers never send
//!   such a value, and tower-http also keeps to `http` and `https`.
//! - **The scheme**, as in Go, is not compared: an `http://` page posting to the `https://` site
//!   of the same host and port passes the `Origin` fallback. HTTP/2 requests carry `:scheme`,
//!   but behind a proxy that ends TLS it names the proxy's hop, not the browser's. Only browsers
//!   that predate `Sec-Fetch-Site` reach the fallback, and HSTS closes the gap there.
//! - **No bypass list**: Go's `AddInsecureBypassPattern` has no counterpart, since protection is
//!   chosen handler by handler.
//!
//! Followed as Go does: an empty `Sec-Fetch-Site` or `Origin` counts as absent; `same-site` and
//! values Fetch Metadata does not define are cross-origin; an allowed origin passes whatever
//! `Sec-Fetch-Site` says; `Origin: null` passes only if the policy allows `null`; a request with
//! neither header passes. Browsers send `Origin` on every request whose method is not `GET` or
//! `HEAD` (fetch `#append-a-request-origin-header`), so such a request comes from a client that is
//! no browser, which needs no forgery to send what it likes, or from a browser older than both
//! headers.
//!
//! # With a policy
//!
//! `#[cors(origins = [...], csrf)]` applies these rules to the handler, with the policy's origins
//! as the allowed ones: its layer asks [`Policy::protects`](crate::Policy::protects) first, and
//! answers a refused request `403`, with no `Access-Control-*` header, before the handler and the
//! CORS decision run, and logs it like every refusal. [`check`] is the same rules with any
//! other notion of allowed origins, for code that is not a `#[cors]` layer.
//!
//! # Deployment
//!
//! A proxy that rewrites `Host` (or the target's authority) or strips `Origin` leaves the
//! fallback nothing to compare; forward both unchanged. `Sec-Fetch-Site` still decides for
//! current browsers.

use http::header::{ORIGIN, UPGRADE};
use http::{HeaderMap, HeaderName, Method, Uri};

mod host;
mod policy;
mod verdict;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;

pub use verdict::{Pass, Refusal, Site, Verdict};

/// `Sec-Fetch-Site` ([Fetch Metadata](https://www.w3.org/TR/fetch-metadata/#sec-fetch-site-header)),
/// which `http` does not name.
static SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

/// Decides whether cross-origin protection lets through a request with this method, target and
/// headers, by [the rules](self#the-rules).
///
/// `uri` is the request's target (`request.uri()`), read only for its authority.
/// `allowed` says whether the policy allows an `Origin` value, given as it arrived; it is asked
/// at most once, only for a request with exactly one `Origin` line whose verdict depends on it.
/// Pure and allocation-free: the same inputs always give the same verdict.
///
/// ```
/// use cors_runtime::csrf::{self, Refusal, Site, Verdict};
/// use http::{HeaderMap, HeaderValue, Method, Uri};
///
/// let mut headers = HeaderMap::new();
/// headers.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
/// headers.insert("origin", HeaderValue::from_static("https://evil.example"));
/// let allowed = |origin: &[u8]| origin == b"https://app.example.com";
/// assert_eq!(
///     csrf::check(&Method::POST, &Uri::from_static("/transfer"), &headers, allowed),
///     Verdict::Refuse(Refusal::CrossSiteWrite { sec_fetch_site: Site::CrossSite }),
/// );
/// ```
#[must_use]
pub fn check(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    allowed: impl FnOnce(&[u8]) -> bool,
) -> Verdict {
    if method == Method::GET && is_websocket_upgrade(headers) {
        return by_origin(uri, headers, allowed, Refusal::WebSocketFromOtherOrigin);
    }
    // safe methods (RFC 9110 §9.2.1) change nothing, whoever sends them; TRACE is safe too but
    // browsers cannot send it (fetch #forbidden-method), so, like Go, it is judged as a write
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Verdict::Pass(Pass::SafeMethod);
    }
    // the browser's own word first (fetch-metadata #sec-fetch-site-header), as Go does
    let site = match lines(headers, &SEC_FETCH_SITE) {
        // an empty value tells nothing, as in Go, and falls back to `Origin`
        Lines::None | Lines::One(b"") => {
            return by_origin(uri, headers, allowed, Refusal::OriginNotHost);
        }
        Lines::One(b"same-origin") => return Verdict::Pass(Pass::SameOrigin),
        Lines::One(b"none") => return Verdict::Pass(Pass::UserInitiated),
        Lines::One(b"same-site") => Site::SameSite,
        Lines::One(b"cross-site") => Site::CrossSite,
        Lines::One(_) => Site::Unknown,
        Lines::Many => Site::Repeated,
    };
    if let Lines::One(origin) = lines(headers, &ORIGIN)
        && allowed(origin)
    {
        return Verdict::Pass(Pass::AllowedOrigin);
    }
    Verdict::Refuse(Refusal::CrossSiteWrite {
        sec_fetch_site: site,
    })
}

/// The verdict from `Origin` alone, for handshakes and for writes without `Sec-Fetch-Site`:
/// `refusal` is what a foreign, not allowed origin gets.
fn by_origin(
    uri: &Uri,
    headers: &HeaderMap,
    allowed: impl FnOnce(&[u8]) -> bool,
    refusal: Refusal,
) -> Verdict {
    let origin = match lines(headers, &ORIGIN) {
        // not a browser, or one from before `Origin`
        Lines::None | Lines::One(b"") => return Verdict::Pass(Pass::NoOrigin),
        Lines::Many => return Verdict::Refuse(Refusal::RepeatedOrigin),
        Lines::One(origin) => origin,
    };
    if host::is_own(origin, uri, headers) {
        Verdict::Pass(Pass::OriginIsHost)
    } else if allowed(origin) {
        Verdict::Pass(Pass::AllowedOrigin)
    } else {
        Verdict::Refuse(refusal)
    }
}

/// Whether any `Upgrade` line names `websocket` (RFC 6455 §4.1; RFC 9110 §7.8 lists protocols
/// as `name[/version]`, case-insensitive).
fn is_websocket_upgrade(headers: &HeaderMap) -> bool {
    headers.get_all(UPGRADE).iter().any(|line| {
        let line = line.as_bytes();
        // the one value browsers send, before any item of a list
        line.eq_ignore_ascii_case(b"websocket")
            || line.split(|&b| b == b',').any(|item| {
                let name = item.split(|&b| b == b'/').next().unwrap_or_default();
                name.trim_ascii().eq_ignore_ascii_case(b"websocket")
            })
    })
}

/// How many lines a header came in, and its value when it came in one.
enum Lines<'r> {
    /// Not sent.
    None,
    /// Sent once, with this value.
    One(&'r [u8]),
    /// Sent two or more times.
    Many,
}

/// The lines of header `name` in `headers`, reading no further than the second.
fn lines<'r>(headers: &'r HeaderMap, name: &HeaderName) -> Lines<'r> {
    let mut values = headers.get_all(name).iter();
    match (values.next(), values.next()) {
        (None, _) => Lines::None,
        (Some(value), None) => Lines::One(value.as_bytes()),
        (Some(_), Some(_)) => Lines::Many,
    }
}
