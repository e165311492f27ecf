//! Hostile requests against real routes: every probe gets nothing granted and never a panic.
//!
//! The probes are the classic CORS bugs: origin reflection, suffix and prefix matches
//! (`https://app.example.com.evil.com`, `https://evilexample.com`), unanchored patterns, scheme
//! downgrades, spellings a browser never sends, repeated headers, and inputs meant to be slow.

mod support;

use axum::Router;
use axum::http::header::{ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::routing::get;
use cors_runtime::cors;
use support::{assert_answered_like_a_grant, assert_no_cors_headers, send};

#[cors(origins = ["https://app.example.com", "https://api.example.com:8443"], credentials,
       methods = [GET, POST], headers = ["content-type", "x-api-key"])]
async fn exact() -> &'static str {
    "exact"
}

#[cors(origins = ["https://*.example.com", "http://localhost:*"], credentials,
       methods = [GET, POST], headers = ["content-type"])]
async fn pattern() -> &'static str {
    "pattern"
}

#[cors(origins = ["*"], methods = [GET, POST], headers = ["*"])]
async fn public() -> &'static str {
    "public"
}

fn app() -> Router {
    Router::new()
        .route("/exact", get(exact).post(exact).layer(exact::layer()))
        .route(
            "/pattern",
            get(pattern).post(pattern).layer(pattern::layer()),
        )
        .route("/public", get(public).post(public).layer(public::layer()))
        .with_state(())
}

/// An `Origin` value as raw bytes, so that non-UTF-8 and control bytes can be sent.
fn origin_value(bytes: &[u8]) -> HeaderValue {
    HeaderValue::from_bytes(bytes).expect("a byte sequence a client can send")
}

/// Origins that neither `/exact` nor `/pattern` may grant, each paired with why.
fn hostile_origins() -> Vec<(&'static str, Vec<u8>)> {
    let mut probes: Vec<(&'static str, Vec<u8>)> = vec![
        (
            "suffix after an allowed origin",
            b"https://app.example.com.evil.com".to_vec(),
        ),
        (
            "allowed origin as a prefix",
            b"https://app.example.comevil.com".to_vec(),
        ),
        (
            "allowed origin as a suffix",
            b"https://xapi.example.com:8443".to_vec(),
        ),
        (
            "pattern domain without the dot",
            b"https://evilexample.com".to_vec(),
        ),
        ("pattern domain itself", b"https://example.com".to_vec()),
        (
            "pattern domain under another suffix",
            b"https://a.example.com.evil.net".to_vec(),
        ),
        ("scheme downgrade", b"http://app.example.com".to_vec()),
        (
            "scheme downgrade on a pattern",
            b"http://a.example.com".to_vec(),
        ),
        (
            "explicit default port",
            b"https://app.example.com:443".to_vec(),
        ),
        ("other port", b"https://app.example.com:8443".to_vec()),
        ("uppercase host", b"https://APP.EXAMPLE.COM".to_vec()),
        ("uppercase scheme", b"HTTPS://app.example.com".to_vec()),
        ("trailing slash", b"https://app.example.com/".to_vec()),
        ("path", b"https://app.example.com/evil".to_vec()),
        ("trailing dot", b"https://app.example.com.".to_vec()),
        ("userinfo", b"https://app.example.com@evil.com".to_vec()),
        (
            "userinfo on a pattern",
            b"https://a.example.com@evil.com".to_vec(),
        ),
        ("null", b"null".to_vec()),
        ("empty", b"".to_vec()),
        ("whitespace around", b" https://app.example.com ".to_vec()),
        ("tab inside", b"https://app.example.com\t".to_vec()),
        ("obs-text byte", b"https://app.example.com\xff".to_vec()),
        (
            "obs-text label",
            b"https://\xe2\x82\xac.example.com".to_vec(),
        ),
        ("percent-encoded dot", b"https://app%2eexample.com".to_vec()),
        ("backslash", b"https://app.example.com\\".to_vec()),
        (
            "comma list",
            b"https://app.example.com, https://evil.com".to_vec(),
        ),
        (
            "space list",
            b"https://app.example.com https://evil.com".to_vec(),
        ),
        ("empty label on a pattern", b"https://.example.com".to_vec()),
        (
            "double dot on a pattern",
            b"https://a..example.com".to_vec(),
        ),
        (
            "port junk on a pattern",
            b"http://localhost:3000abc".to_vec(),
        ),
        (
            "leading zero port on a pattern",
            b"http://localhost:03000".to_vec(),
        ),
        (
            "port out of range on a pattern",
            b"http://localhost:65536".to_vec(),
        ),
        (
            "default port spelled on a pattern",
            b"http://localhost:80".to_vec(),
        ),
        (
            "https for an http pattern",
            b"https://localhost:3000".to_vec(),
        ),
        (
            "host suffix on an http pattern",
            b"http://localhost.evil.com:3000".to_vec(),
        ),
        ("wildcard sent literally", b"https://*.example.com".to_vec()),
        ("star", b"*".to_vec()),
    ];
    let mut huge = b"https://".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 64 * 1024));
    huge.extend(b".example.com");
    probes.push(("64 KiB origin on a pattern", huge));
    probes
}

#[tokio::test]
async fn hostile_origins_are_granted_nothing_on_actual_requests_or_preflights() {
    let mut probes = 0;
    for path in ["/exact", "/pattern"] {
        for (probe, origin) in hostile_origins() {
            let origin = (ORIGIN, origin_value(&origin));
            let response = send(app(), Method::GET, path, std::slice::from_ref(&origin)).await;
            assert_eq!(response.status(), StatusCode::OK, "{path} {probe}");
            assert_no_cors_headers(&response, probe);

            let preflight = [
                origin,
                (
                    ACCESS_CONTROL_REQUEST_METHOD,
                    HeaderValue::from_static("POST"),
                ),
            ];
            let response = send(app(), Method::OPTIONS, path, &preflight).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path} {probe}");
            assert_no_cors_headers(&response, probe);
            probes += 2;
        }
    }
    println!("{probes} hostile-origin probes");
}

#[tokio::test]
async fn two_origin_headers_are_refused_even_when_one_is_allowed() {
    let allowed = HeaderValue::from_static("https://app.example.com");
    let other = HeaderValue::from_static("https://evil.com");
    for pair in [
        [allowed.clone(), other.clone()],
        [other, allowed.clone()],
        [allowed.clone(), allowed],
    ] {
        let headers: Vec<_> = pair.into_iter().map(|value| (ORIGIN, value)).collect();
        let response = send(app(), Method::GET, "/exact", &headers).await;
        assert_no_cors_headers(&response, "two Origin headers");
    }
}

/// Preflights with a listed origin whose method or headers are hostile.
fn hostile_preflights() -> Vec<(&'static str, Vec<(HeaderName, HeaderValue)>)> {
    let method = |value: &'static str| {
        (
            ACCESS_CONTROL_REQUEST_METHOD,
            HeaderValue::from_static(value),
        )
    };
    let names = |value: &str| {
        (
            ACCESS_CONTROL_REQUEST_HEADERS,
            HeaderValue::from_str(value).unwrap(),
        )
    };
    let many = (0..10_000)
        .map(|i| format!("x-h{i}"))
        .collect::<Vec<_>>()
        .join(",");
    let many_allowed_then_one_not = format!("{}x-secret", "content-type,".repeat(10_000));
    vec![
        ("lowercase method", vec![method("post")]),
        ("method with a space", vec![method("GET POST")]),
        ("empty method", vec![method("")]),
        ("method list", vec![method("GET, POST")]),
        ("unlisted method", vec![method("DELETE")]),
        ("forbidden method", vec![method("CONNECT")]),
        ("two method lines", vec![method("GET"), method("POST")]),
        ("unlisted header", vec![method("POST"), names("x-secret")]),
        (
            "unlisted header on a second line",
            vec![method("POST"), names("content-type"), names("x-secret")],
        ),
        (
            "header with a space",
            vec![method("POST"), names("content type")],
        ),
        ("forbidden header", vec![method("POST"), names("cookie")]),
        (
            "authorization not listed",
            vec![method("POST"), names("authorization")],
        ),
        ("10,000 unlisted names", vec![method("POST"), names(&many)]),
        (
            "10,000 listed names then one not",
            vec![method("POST"), names(&many_allowed_then_one_not)],
        ),
    ]
}

/// A preflight of `origin` for `POST` with `names`, or without request headers.
fn preflight(origin: &'static str, names: Option<&'static str>) -> Vec<(HeaderName, HeaderValue)> {
    let mut headers = vec![
        (ORIGIN, HeaderValue::from_static(origin)),
        (
            ACCESS_CONTROL_REQUEST_METHOD,
            HeaderValue::from_static("POST"),
        ),
    ];
    if let Some(names) = names {
        headers.push((
            ACCESS_CONTROL_REQUEST_HEADERS,
            HeaderValue::from_static(names),
        ));
    }
    headers
}

#[tokio::test]
async fn hostile_preflights_from_a_listed_origin_get_only_the_policys_own_lists() {
    let origin = "https://app.example.com";
    let granted = send(app(), Method::OPTIONS, "/exact", &preflight(origin, None)).await;
    for (probe, mut headers) in hostile_preflights() {
        headers.push((ORIGIN, HeaderValue::from_static(origin)));
        let response = send(app(), Method::OPTIONS, "/exact", &headers).await;
        assert_answered_like_a_grant(&response, &granted, probe);
    }
}

#[tokio::test]
async fn a_wildcard_header_policy_still_refuses_authorization() {
    let anyone = "https://anyone.example.net";
    let preflight = |names| preflight(anyone, Some(names));
    let granted = send(
        app(),
        Method::OPTIONS,
        "/public",
        &preflight("x-anything,content-type"),
    )
    .await;
    assert_eq!(granted.status(), StatusCode::NO_CONTENT);
    // the answer lists `*`, which browsers never read as `authorization`
    for names in ["authorization", "x-anything, Authorization"] {
        let response = send(app(), Method::OPTIONS, "/public", &preflight(names)).await;
        assert_answered_like_a_grant(&response, &granted, names);
    }
}

#[tokio::test]
async fn empty_and_split_request_header_lines_are_tolerated() {
    for lines in [
        &[""][..],
        &[" , ,"],
        &["content-type", ""],
        &[" Content-Type ", "X-Api-Key"],
    ] {
        let mut headers = vec![
            (ORIGIN, HeaderValue::from_static("https://app.example.com")),
            (
                ACCESS_CONTROL_REQUEST_METHOD,
                HeaderValue::from_static("POST"),
            ),
        ];
        headers.extend(lines.iter().map(|line| {
            (
                ACCESS_CONTROL_REQUEST_HEADERS,
                HeaderValue::from_static(line),
            )
        }));
        let response = send(app(), Method::OPTIONS, "/exact", &headers).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "{lines:?}");
    }
}

#[tokio::test]
async fn a_preflight_answer_carries_none_of_the_requests_headers() {
    let browser = |origin: &'static str, requested: &'static str| {
        [
            ("host", "api.example.com"),
            ("origin", origin),
            ("access-control-request-method", "POST"),
            ("access-control-request-headers", requested),
            ("cookie", "session=secret"),
            ("authorization", "Bearer secret"),
            ("user-agent", "Mozilla/5.0"),
            ("referer", "https://app.example.com/page"),
            ("accept", "*/*"),
            ("accept-language", "en"),
            ("accept-encoding", "gzip"),
            ("sec-fetch-mode", "cors"),
            ("sec-fetch-site", "same-site"),
            ("sec-fetch-dest", "empty"),
            ("connection", "keep-alive"),
        ]
        .map(|(name, value)| {
            (
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            )
        })
    };
    for (answer, origin, requested, status) in [
        (
            "granted",
            "https://app.example.com",
            "content-type",
            StatusCode::NO_CONTENT,
        ),
        (
            "explained",
            "https://app.example.com",
            "x-secret",
            StatusCode::NO_CONTENT,
        ),
        (
            "refused",
            "https://evil.example.net",
            "content-type",
            StatusCode::FORBIDDEN,
        ),
    ] {
        let request = browser(origin, requested);
        let response = send(app(), Method::OPTIONS, "/exact", &request).await;
        assert_eq!(response.status(), status, "{answer}");
        for (name, _) in &request {
            assert!(
                !response.headers().contains_key(name),
                "the {answer} answer echoed {name}: {:?}",
                response.headers()
            );
        }
    }
}
