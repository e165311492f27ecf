//! Every rule of [the table](super#the-rules), each way round, at the level of headers.

use std::cell::Cell;

use http::header::{CONNECTION, HOST, ORIGIN, UPGRADE};
use http::{HeaderMap, HeaderValue, Method, Uri};

use super::{Pass, Refusal, SEC_FETCH_SITE, Site, Verdict, check};

mod handshakes;

/// The origin of the site the requests are sent to, whose host is in `Host`.
const OWN: &str = "https://app.example.com";
/// An origin the policy allows.
const PARTNER: &str = "https://partner.example";
/// An origin the policy does not allow.
const EVIL: &str = "https://evil.example";

/// The policy of every test: only [`PARTNER`].
fn allowed(origin: &[u8]) -> bool {
    origin == PARTNER.as_bytes()
}

/// A request as the handler's layer sees it.
struct Request {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
}

/// A request with this method for `/transfer`, sent to `app.example.com` over HTTP/1.1.
fn request(method: Method) -> Request {
    Request {
        method,
        uri: Uri::from_static("/transfer"),
        headers: HeaderMap::new(),
    }
    .with(HOST, "app.example.com")
}

fn post() -> Request {
    request(Method::POST)
}

/// A WebSocket handshake over HTTP/1.1, as browsers send it.
fn handshake() -> Request {
    request(Method::GET)
        .with(UPGRADE, "websocket")
        .with(CONNECTION, "Upgrade")
}

impl Request {
    /// This request with one more `name` line.
    fn with(mut self, name: impl http::header::IntoHeaderName, value: &'static str) -> Self {
        self.headers.append(name, HeaderValue::from_static(value));
        self
    }

    fn with_site(self, value: &'static str) -> Self {
        self.with(&SEC_FETCH_SITE, value)
    }

    fn with_origin(self, value: &'static str) -> Self {
        self.with(ORIGIN, value)
    }

    fn without(mut self, name: impl http::header::AsHeaderName) -> Self {
        self.headers.remove(name);
        self
    }

    fn verdict(&self) -> Verdict {
        check(&self.method, &self.uri, &self.headers, allowed)
    }
}

fn cross_site_write(site: Site) -> Verdict {
    Verdict::Refuse(Refusal::CrossSiteWrite {
        sec_fetch_site: site,
    })
}

#[test]
fn a_write_marked_same_origin_passes_whatever_its_origin() {
    for origin in [OWN, EVIL] {
        let request = post().with_site("same-origin").with_origin(origin);
        assert_eq!(
            request.verdict(),
            Verdict::Pass(Pass::SameOrigin),
            "{origin}"
        );
    }
}

#[test]
fn a_user_initiated_write_passes() {
    assert_eq!(
        post().with_site("none").verdict(),
        Verdict::Pass(Pass::UserInitiated)
    );
}

#[test]
fn a_same_site_write_is_refused_unless_its_origin_is_allowed() {
    let sibling = post()
        .with_site("same-site")
        .with_origin("https://blog.example.com");
    assert_eq!(sibling.verdict(), cross_site_write(Site::SameSite));
    let partner = post().with_site("same-site").with_origin(PARTNER);
    assert_eq!(partner.verdict(), Verdict::Pass(Pass::AllowedOrigin));
}

#[test]
fn a_cross_site_write_is_refused_unless_its_origin_is_allowed() {
    let evil = post().with_site("cross-site").with_origin(EVIL);
    assert_eq!(evil.verdict(), cross_site_write(Site::CrossSite));
    let partner = post().with_site("cross-site").with_origin(PARTNER);
    assert_eq!(partner.verdict(), Verdict::Pass(Pass::AllowedOrigin));
    let anonymous = post().with_site("cross-site");
    assert_eq!(anonymous.verdict(), cross_site_write(Site::CrossSite));
}

#[test]
fn a_cross_site_mark_is_not_overruled_by_an_origin_matching_the_host() {
    let request = post().with_site("cross-site").with_origin(OWN);
    assert_eq!(request.verdict(), cross_site_write(Site::CrossSite));
}

#[test]
fn an_unknown_sec_fetch_site_counts_as_another_origin() {
    for value in [
        "Same-Origin",
        "same-origin, cross-site",
        "same-origin ",
        "same_origin",
    ] {
        let request = post().with_site(value).with_origin(OWN);
        assert_eq!(
            request.verdict(),
            cross_site_write(Site::Unknown),
            "{value:?}"
        );
        let partner = post().with_site(value).with_origin(PARTNER);
        assert_eq!(partner.verdict(), Verdict::Pass(Pass::AllowedOrigin));
    }
    let mut binary = post().with_origin(OWN);
    binary.headers.insert(
        &SEC_FETCH_SITE,
        HeaderValue::from_bytes(b"same-origin\xff").unwrap(),
    );
    assert_eq!(binary.verdict(), cross_site_write(Site::Unknown));
}

#[test]
fn two_sec_fetch_site_lines_count_as_another_origin() {
    let request = post()
        .with_site("same-origin")
        .with_site("same-origin")
        .with_origin(OWN);
    assert_eq!(request.verdict(), cross_site_write(Site::Repeated));
    let partner = post()
        .with_site("same-origin")
        .with_site("cross-site")
        .with_origin(PARTNER);
    assert_eq!(partner.verdict(), Verdict::Pass(Pass::AllowedOrigin));
}

#[test]
fn an_empty_sec_fetch_site_falls_back_to_the_origin() {
    let own = post().with_site("").with_origin(OWN);
    assert_eq!(own.verdict(), Verdict::Pass(Pass::OriginIsHost));
    let evil = post().with_site("").with_origin(EVIL);
    assert_eq!(evil.verdict(), Verdict::Refuse(Refusal::OriginNotHost));
}

#[test]
fn without_sec_fetch_site_an_origin_matching_the_host_passes() {
    assert_eq!(
        post().with_origin(OWN).verdict(),
        Verdict::Pass(Pass::OriginIsHost)
    );
    let explicit_port = post()
        .without(HOST)
        .with(HOST, "app.example.com:443")
        .with_origin(OWN);
    assert_eq!(explicit_port.verdict(), Verdict::Pass(Pass::OriginIsHost));
}

#[test]
fn without_sec_fetch_site_an_origin_not_matching_the_host_is_refused_unless_allowed() {
    for origin in [
        EVIL,
        "http://app.example.com:8080",
        "https://app.example.com.evil.example",
        "https://api.example.com",
    ] {
        let request = post().with_origin(origin);
        assert_eq!(
            request.verdict(),
            Verdict::Refuse(Refusal::OriginNotHost),
            "{origin}"
        );
    }
    assert_eq!(
        post().with_origin(PARTNER).verdict(),
        Verdict::Pass(Pass::AllowedOrigin)
    );
}

#[test]
fn a_write_with_neither_header_passes() {
    assert_eq!(post().verdict(), Verdict::Pass(Pass::NoOrigin));
    assert_eq!(
        post().without(HOST).verdict(),
        Verdict::Pass(Pass::NoOrigin)
    );
    assert_eq!(
        post().with_origin("").verdict(),
        Verdict::Pass(Pass::NoOrigin)
    );
}

#[test]
fn two_origin_lines_are_refused_where_the_verdict_rests_on_origin() {
    let fallback = post().with_origin(OWN).with_origin(OWN);
    assert_eq!(fallback.verdict(), Verdict::Refuse(Refusal::RepeatedOrigin));
    let marked = post()
        .with_site("cross-site")
        .with_origin(PARTNER)
        .with_origin(PARTNER);
    assert_eq!(marked.verdict(), cross_site_write(Site::CrossSite));
    let same_origin = post()
        .with_site("same-origin")
        .with_origin(EVIL)
        .with_origin(OWN);
    assert_eq!(same_origin.verdict(), Verdict::Pass(Pass::SameOrigin));
}

#[test]
fn the_null_origin_is_foreign_unless_the_policy_allows_it() {
    let request = post().with_origin("null");
    assert_eq!(request.verdict(), Verdict::Refuse(Refusal::OriginNotHost));
    let allowing_null = check(&request.method, &request.uri, &request.headers, |origin| {
        origin == b"null"
    });
    assert_eq!(allowing_null, Verdict::Pass(Pass::AllowedOrigin));
}

#[test]
fn an_http2_request_is_compared_with_its_authority() {
    let mut request = post().without(HOST).with_origin(OWN);
    request.uri = Uri::from_static("https://app.example.com/transfer");
    assert_eq!(request.verdict(), Verdict::Pass(Pass::OriginIsHost));
    let mut evil = post()
        .with_origin(EVIL)
        .without(HOST)
        .with(HOST, "evil.example");
    evil.uri = Uri::from_static("https://app.example.com/transfer");
    assert_eq!(evil.verdict(), Verdict::Refuse(Refusal::OriginNotHost));
}

#[test]
fn without_one_host_no_origin_is_the_requests_own() {
    let missing = post().without(HOST).with_origin(OWN);
    assert_eq!(missing.verdict(), Verdict::Refuse(Refusal::OriginNotHost));
    let repeated = post().with(HOST, "app.example.com").with_origin(OWN);
    assert_eq!(repeated.verdict(), Verdict::Refuse(Refusal::OriginNotHost));
    let partner = post().without(HOST).with_origin(PARTNER);
    assert_eq!(partner.verdict(), Verdict::Pass(Pass::AllowedOrigin));
}

#[test]
fn safe_methods_pass_whatever_the_headers_say() {
    for method in [Method::GET, Method::HEAD, Method::OPTIONS] {
        let request = request(method.clone())
            .with_site("cross-site")
            .with_origin(EVIL);
        assert_eq!(
            request.verdict(),
            Verdict::Pass(Pass::SafeMethod),
            "{method}"
        );
    }
}

#[test]
fn every_other_method_is_protected() {
    for method in [
        "POST", "PUT", "PATCH", "DELETE", "CONNECT", "TRACE", "PROPFIND",
    ] {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let request = request(method.clone())
            .with_site("cross-site")
            .with_origin(EVIL);
        assert_eq!(
            request.verdict(),
            cross_site_write(Site::CrossSite),
            "{method}"
        );
    }
}

#[test]
fn the_policy_is_asked_only_when_it_decides_and_at_most_once() {
    let asked = |request: &Request| {
        let calls = Cell::new(0);
        let _ = check(&request.method, &request.uri, &request.headers, |origin| {
            calls.set(calls.get() + 1);
            allowed(origin)
        });
        calls.get()
    };
    assert_eq!(asked(&post().with_site("same-origin").with_origin(EVIL)), 0);
    assert_eq!(asked(&post().with_origin(OWN)), 0);
    assert_eq!(asked(&handshake().with_origin(OWN)), 0);
    assert_eq!(asked(&post().with_origin(OWN).with_origin(OWN)), 0);
    assert_eq!(asked(&post().with_site("cross-site").with_origin(EVIL)), 1);
    assert_eq!(asked(&post().with_origin(EVIL)), 1);
    assert_eq!(asked(&handshake().with_origin(EVIL)), 1);
}

#[test]
fn huge_headers_get_the_verdict_of_their_content() {
    let huge = |text: String| HeaderValue::from_str(&text).unwrap();
    let mut write = post();
    write.headers.insert(
        ORIGIN,
        huge(format!("https://{}.example", "a".repeat(1 << 20))),
    );
    assert_eq!(write.verdict(), Verdict::Refuse(Refusal::OriginNotHost));
    write
        .headers
        .insert(&SEC_FETCH_SITE, huge("cross-site".repeat(1 << 16)));
    assert_eq!(write.verdict(), cross_site_write(Site::Unknown));
    let mut upgrade = request(Method::GET).with_origin(EVIL);
    upgrade
        .headers
        .insert(UPGRADE, huge(format!("{}websocket", ", ".repeat(1 << 18))));
    assert_eq!(
        upgrade.verdict(),
        Verdict::Refuse(Refusal::WebSocketFromOtherOrigin)
    );
}

#[test]
fn refusals_read_as_sentences_for_the_log() {
    let refusal = Refusal::CrossSiteWrite {
        sec_fetch_site: Site::CrossSite,
    };
    assert_eq!(
        refusal.to_string(),
        "a write marked cross-origin by `Sec-Fetch-Site` (`cross-site`) from an origin the policy does not allow"
    );
    assert_eq!(post().verdict().refusal(), None);
    assert_eq!(
        handshake().with_origin(EVIL).verdict().refusal(),
        Some(Refusal::WebSocketFromOtherOrigin)
    );
}
