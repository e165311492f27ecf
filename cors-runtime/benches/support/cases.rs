//! The measured requests, one per case, and the check that every variant answers each of them
//! the way the case means (so that no benchmark measures a path it does not name).

use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::http::header::{
    ACCEPT, ACCEPT_ENCODING, ACCEPT_LANGUAGE, ACCESS_CONTROL_ALLOW_CREDENTIALS,
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, CONNECTION, HOST, ORIGIN, REFERER, USER_AGENT,
};
use axum::http::{HeaderName, HeaderValue, Method, Request, Response, Uri};
use bytes::BytesMut;

use crate::app::{API, CSRF, ORIGINS_1, ORIGINS_16, ORIGINS_256, SUBDOMAINS, Variant};
use crate::drive::respond;

/// A listed origin of `/api`.
const APP: &str = "https://app.example.com";
/// An origin no policy lists.
const EVIL: &str = "https://evil.example.net";
/// `Sec-Fetch-Site`, which `http` does not name.
const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");
/// The request headers of an ordinary preflight, both allowed.
const REQUESTED: &str = "content-type,x-api-key";

/// One request shape, measured against every variant.
pub(crate) struct Case {
    /// The case's name in tables and benchmark ids.
    pub(crate) name: &'static str,
    /// The request method.
    method: Method,
    /// The request path.
    path: &'static str,
    /// The request headers.
    headers: Vec<(HeaderName, HeaderValue)>,
    /// Whether our layer grants the request (sends `Access-Control-Allow-Origin`).
    ours_grants: bool,
    /// Whether tower-http grants it, which differs from ours only where tower-http leaves the
    /// check to the browser (the requested headers).
    tower_http_grants: bool,
}

impl Case {
    /// A fresh request of this case. Header values share their bytes with the case's, as hyper's
    /// share its read buffer: cloning one costs a reference count, never an allocation. The
    /// header map is made as hyper makes it, with room reserved for the headers it read.
    pub(crate) fn request(&self) -> Request<Body> {
        let mut request = Request::new(Body::empty());
        request.method_mut().clone_from(&self.method);
        *request.uri_mut() = Uri::from_static(self.path);
        let headers = request.headers_mut();
        headers.reserve(self.headers.len());
        for (name, value) in &self.headers {
            headers.append(name.clone(), value.clone());
        }
        request
    }

    /// Panics unless `response` is what `variant` must answer.
    fn check(&self, variant: Variant, response: &Response<Body>) {
        let granted = grants(self.method == Method::OPTIONS, response);
        let expected = match variant {
            Variant::NoCors | Variant::EmptyLayer => false,
            Variant::TowerHttp => self.tower_http_grants,
            Variant::Ours | Variant::Watched | Variant::Outer => self.ours_grants,
        };
        assert_eq!(
            granted, expected,
            "{}: {variant} answered {response:?}",
            self.name
        );
    }
}

/// Whether `response` grants its request: it carries `Access-Control-Allow-Origin` and, on a
/// preflight, `Access-Control-Max-Age` too (every policy here has one). Ours answers a preflight
/// it refuses for its headers with the origin and its lists but no max-age, so that the browser
/// names the header that is missing: that answer is a refusal.
fn grants(preflight: bool, response: &Response<Body>) -> bool {
    let headers = response.headers();
    headers.contains_key(ACCESS_CONTROL_ALLOW_ORIGIN)
        && (!preflight || headers.contains_key(ACCESS_CONTROL_MAX_AGE))
}

/// Where the `allocations` bench writes its counts, one `case\tvariant\tcount` line each, for
/// the summary of the `cors` bench.
pub(crate) fn allocations_file() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cors-bench-allocations.tsv")
}

/// Every case, in the order the tables show them.
pub(crate) fn all() -> Vec<Case> {
    // 5,000 times both allowed names: a browser never repeats a name, so ours refuses as soon as
    // there are more names than the policy allows; tower-http leaves the check to the browser
    let ten_thousand_names = format!("{REQUESTED},").repeat(5_000);
    let host = "a".repeat(64 * 1024 - "https://".len() - ".example.com".len());
    let huge_origin = format!("https://{host}.example.com");
    vec![
        case(
            "preflight-allowed",
            Method::OPTIONS,
            API,
            preflight(APP, REQUESTED),
            true,
            true,
        ),
        case(
            "preflight-refused-origin",
            Method::OPTIONS,
            API,
            preflight(EVIL, REQUESTED),
            false,
            false,
        ),
        case(
            "preflight-refused-header",
            Method::OPTIONS,
            API,
            preflight(APP, "content-type,x-secret"),
            // refused, though answered with the policy's lists so that the browser names the
            // header; tower-http leaves the header check to the browser
            false,
            true,
        ),
        case("actual-allowed", Method::GET, API, actual(APP), true, true),
        case(
            "actual-refused",
            Method::GET,
            API,
            actual(EVIL),
            false,
            false,
        ),
        case("no-origin", Method::GET, API, Vec::new(), false, false),
        case(
            "origins-1",
            Method::GET,
            ORIGINS_1,
            actual("https://app0.example.com"),
            true,
            true,
        ),
        case(
            "origins-16",
            Method::GET,
            ORIGINS_16,
            actual("https://app15.example.com"),
            true,
            true,
        ),
        case(
            "origins-256",
            Method::GET,
            ORIGINS_256,
            actual("https://app255.example.com"),
            true,
            true,
        ),
        case(
            "origins-subdomain",
            Method::GET,
            SUBDOMAINS,
            actual("https://tenant.example.com"),
            true,
            true,
        ),
        case(
            "hostile-10k-headers",
            Method::OPTIONS,
            API,
            preflight(APP, &ten_thousand_names),
            // refused, though answered with the policy's lists so that the browser names the
            // header; tower-http leaves the header check to the browser
            false,
            true,
        ),
        case(
            "hostile-64k-origin",
            Method::OPTIONS,
            API,
            preflight(&huge_origin, REQUESTED),
            false,
            false,
        ),
    ]
    .into_iter()
    .chain(csrf())
    .collect()
}

/// The cases of `csrf`, and the cross-site write it is compared with on a route without it.
fn csrf() -> Vec<Case> {
    // a form post or `fetch` from a page of another site, as a browser sends it
    let cross_site = |origin: &str| {
        vec![
            (ORIGIN, shared(origin.as_bytes())),
            (SEC_FETCH_SITE, shared(b"cross-site")),
        ]
    };
    vec![
        case("csrf-get", Method::GET, CSRF, actual(APP), true, true),
        case(
            "post-cross-site",
            Method::POST,
            API,
            cross_site(APP),
            true,
            true,
        ),
        case(
            "csrf-post-cross-site",
            Method::POST,
            CSRF,
            cross_site(APP),
            true,
            true,
        ),
        case(
            "csrf-post-refused",
            Method::POST,
            CSRF,
            cross_site(EVIL),
            false,
            false,
        ),
    ]
}

/// A case: `ours_grants` and `tower_http_grants` say whether each sends
/// `Access-Control-Allow-Origin`.
fn case(
    name: &'static str,
    method: Method,
    path: &'static str,
    headers: Vec<(HeaderName, HeaderValue)>,
    ours_grants: bool,
    tower_http_grants: bool,
) -> Case {
    Case {
        name,
        method,
        path,
        headers,
        ours_grants,
        tower_http_grants,
    }
}

/// The headers of an actual request from `origin`.
fn actual(origin: &str) -> Vec<(HeaderName, HeaderValue)> {
    vec![(ORIGIN, shared(origin.as_bytes()))]
}

/// The headers of a preflight for `POST` from `origin`, asking for `requested`: the thirteen a
/// browser sends over HTTP/1.1 (Chromium's, in its order), of which a CORS layer reads three.
fn preflight(origin: &str, requested: &str) -> Vec<(HeaderName, HeaderValue)> {
    let referer = format!("{origin}/");
    [
        (HOST, "api.example.com"),
        (CONNECTION, "keep-alive"),
        (ACCEPT, "*/*"),
        (ACCESS_CONTROL_REQUEST_METHOD, "POST"),
        (ACCESS_CONTROL_REQUEST_HEADERS, requested),
        (ORIGIN, origin),
        (USER_AGENT, USER_AGENT_VALUE),
        (HeaderName::from_static("sec-fetch-mode"), "cors"),
        (HeaderName::from_static("sec-fetch-site"), "same-site"),
        (HeaderName::from_static("sec-fetch-dest"), "empty"),
        (REFERER, &referer),
        (ACCEPT_ENCODING, "gzip, deflate, br, zstd"),
        (ACCEPT_LANGUAGE, "en-US,en;q=0.9"),
    ]
    .into_iter()
    .map(|(name, value)| (name, shared(value.as_bytes())))
    .collect()
}

/// A desktop Chromium's `User-Agent`.
const USER_AGENT_VALUE: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 \
    (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";

/// A header value in shared bytes, like one hyper parses out of its read buffer.
fn shared(value: &[u8]) -> HeaderValue {
    let mut buffer = BytesMut::from(value);
    HeaderValue::from_maybe_shared(buffer.split().freeze()).expect("a valid header value")
}

/// Panics unless every variant answers every case as the case means, and unless each of ours
/// and tower-http send the same CORS headers wherever both grant: the variants are equivalent.
pub(crate) fn verify(cases: &[Case], routers: &[(Variant, Router)]) {
    for case in cases {
        let mut granted = Vec::new();
        for &(variant, ref router) in routers {
            let response = respond(router, case.request());
            case.check(variant, &response);
            if !matches!(variant, Variant::NoCors | Variant::EmptyLayer)
                && grants(case.method == Method::OPTIONS, &response)
            {
                granted.push((variant, cors_headers(&response)));
            }
        }
        if let [(Variant::TowerHttp, theirs), ours @ ..] = &granted[..] {
            for (variant, ours) in ours {
                assert_eq!(
                    ours, theirs,
                    "{}: {variant} and tower-http differ",
                    case.name
                );
            }
        }
    }
}

/// The `Access-Control-Allow-*` and `-Expose-Headers` headers of a response, each list
/// lowercased, trimmed and sorted, so that spelling differences do not count.
fn cors_headers(response: &Response<Body>) -> Vec<(HeaderName, Vec<String>)> {
    [
        ACCESS_CONTROL_ALLOW_ORIGIN,
        ACCESS_CONTROL_ALLOW_CREDENTIALS,
        ACCESS_CONTROL_ALLOW_METHODS,
        ACCESS_CONTROL_ALLOW_HEADERS,
        ACCESS_CONTROL_EXPOSE_HEADERS,
        ACCESS_CONTROL_MAX_AGE,
    ]
    .into_iter()
    .map(|name| {
        let mut items: Vec<String> = response
            .headers()
            .get_all(&name)
            .iter()
            .flat_map(|value| value.to_str().expect("a visible header").split(','))
            .map(|item| item.trim().to_ascii_lowercase())
            .collect();
        items.sort();
        (name, items)
    })
    .collect()
}
