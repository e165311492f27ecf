//! The model against the layer over random policies and script calls: a call is allowed exactly
//! when the policy, read as its author meant it, allows it.

use axum::Router;
use axum::body::Body;
use axum::routing;
use cors_rules::config::Config;
use http::{Request, StatusCode};
use proptest::prelude::*;

use super::Browser;
use crate::{CorsLayer, testing};

/// The origins and patterns a random policy lists some of.
const ENTRIES: [&str; 4] = [
    "https://app.example.com",
    "http://localhost:3000",
    "https://*.example.org",
    "http://localhost:*",
];

/// Pages, each with the indexes in [`ENTRIES`] its author meant to let in.
const PAGES: [(&str, &[usize]); 10] = [
    ("https://app.example.com", &[0]),
    ("http://localhost:3000", &[1, 3]),
    ("http://localhost:5173", &[3]),
    ("https://a.example.org", &[2]),
    ("https://a.b.example.org", &[2]),
    ("https://example.org", &[]),
    ("http://a.example.org", &[]),
    ("https://app.example.com.evil.com", &[]),
    ("https://localhost:3000", &[]),
    ("null", &[]),
];

/// Methods a script may write, with what the browser sends (`None`: `fetch` throws).
const METHODS: [(&str, Option<&str>); 12] = [
    ("GET", Some("GET")),
    ("get", Some("GET")),
    ("HEAD", Some("HEAD")),
    ("POST", Some("POST")),
    ("post", Some("POST")),
    ("PUT", Some("PUT")),
    ("put", Some("PUT")),
    ("PATCH", Some("PATCH")),
    ("patch", Some("patch")),
    ("DELETE", Some("DELETE")),
    ("OPTIONS", Some("OPTIONS")),
    ("TRACE", None),
];

/// How the browser treats a header a script sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Sent, without a preflight.
    Safelisted,
    /// Sent, and the preflight asks for it.
    Unsafe,
    /// Never sent by a script (`Cookie` goes only as the browser's own, with credentials).
    Dropped,
}

/// Headers a script may set, with how browsers treat them.
const HEADERS: [(&str, &str, Kind); 11] = [
    ("content-type", "text/plain;charset=UTF-8", Kind::Safelisted),
    ("content-type", "application/json", Kind::Unsafe),
    ("accept", "application/json", Kind::Safelisted),
    ("accept-language", "fr-CH, fr;q=0.9", Kind::Safelisted),
    ("range", "bytes=0-99", Kind::Safelisted),
    ("range", "bytes=-5", Kind::Unsafe),
    ("x-api-key", "k", Kind::Unsafe),
    ("authorization", "Bearer t", Kind::Unsafe),
    ("x-debug", "1", Kind::Unsafe),
    ("cookie", "session=1", Kind::Dropped),
    ("sec-fetch-site", "cross-site", Kind::Dropped),
];

/// Response headers of the handler that a policy may expose.
const ANSWERED: [&str; 3] = ["x-request-id", "x-total", "set-cookie"];

/// The layer of the policy `config` describes: the one place these tests build a policy at run
/// time.
fn layer(config: &Config<'_>) -> CorsLayer {
    CorsLayer::new(testing::policy(config), &testing::HANDLER)
}

fn config_strategy() -> impl Strategy<Value = Config<'static>> {
    let origins = prop_oneof![
        1 => Just(vec!["*"]),
        4 => proptest::sample::subsequence(ENTRIES.to_vec(), 1..=ENTRIES.len()),
    ];
    let methods = prop_oneof![
        1 => Just(None),
        1 => Just(Some(vec!["*"])),
        4 => proptest::sample::subsequence(vec!["GET", "POST", "PUT", "PATCH", "DELETE"], 1..=5)
            .prop_map(Some),
    ];
    let headers = prop_oneof![
        1 => Just(vec!["*"]),
        1 => Just(vec!["*", "authorization"]),
        4 => proptest::sample::subsequence(vec!["content-type", "x-api-key", "authorization"], 0..=3),
    ];
    let expose = prop_oneof![
        1 => Just(vec!["*"]),
        3 => proptest::sample::subsequence(vec!["x-request-id", "x-total"], 0..=2),
    ];
    let max_age = proptest::option::of(proptest::sample::select(vec![0_i128, 5, 600]));
    (origins, any::<bool>(), methods, headers, expose, max_age).prop_map(
        |(origins, credentials, methods, headers, expose, max_age)| {
            let wildcard = origins == ["*"]
                || methods.as_deref() == Some(&["*"][..])
                || headers.contains(&"*")
                || expose.contains(&"*");
            Config {
                origins,
                credentials: credentials && !wildcard,
                methods,
                headers,
                expose,
                max_age,
                ..Config::default()
            }
        },
    )
}

/// A script's call: page, method, headers (indexes in their tables) and credentials mode.
#[derive(Clone, Debug)]
struct Call {
    page: usize,
    method: usize,
    headers: Vec<usize>,
    include: bool,
}

fn call_strategy() -> impl Strategy<Value = Call> {
    (
        0..PAGES.len(),
        0..METHODS.len(),
        proptest::sample::subsequence((0..HEADERS.len()).collect::<Vec<_>>(), 0..=4),
        any::<bool>(),
    )
        .prop_map(|(page, method, headers, include)| Call {
            page,
            method,
            headers,
            include,
        })
}

/// Whether the author of `config` meant to let `call` through, read from the attribute's
/// documentation alone.
fn intended(config: &Config<'_>, call: &Call) -> bool {
    let Some(method) = METHODS[call.method].1 else {
        return false;
    };
    let origin = config.origins == ["*"]
        || PAGES[call.page]
            .1
            .iter()
            .any(|&entry| config.origins.contains(&ENTRIES[entry]));
    let credentials = !call.include || config.credentials;
    let methods = match config.methods.as_deref() {
        None => &["GET", "HEAD", "POST"][..],
        Some(listed) => listed,
    };
    let method = methods.contains(&"*")
        || methods.contains(&method)
        || method == "HEAD" && methods.contains(&"GET");
    let headers = call.headers.iter().all(|&index| {
        let (name, _, kind) = HEADERS[index];
        kind != Kind::Unsafe
            || config.headers.contains(&name)
            || config.headers.contains(&"*") && name != "authorization"
    });
    origin && credentials && method && headers
}

/// Whether the script may read `name` of a granted answer.
fn readable(config: &Config<'_>, name: &str) -> bool {
    name != "set-cookie" && (config.expose.contains(&name) || config.expose.contains(&"*"))
}

fn app(config: &Config<'_>) -> Router {
    let handler = || async {
        (
            [
                ("x-request-id", "7"),
                ("x-total", "10"),
                ("set-cookie", "session=2"),
            ],
            "ok",
        )
    };
    Router::new().route("/resource", routing::any(handler).layer(layer(config)))
}

fn request(call: &Call) -> Request<Body> {
    let mut request = Request::builder()
        .method(METHODS[call.method].0)
        .uri("/resource");
    for &index in &call.headers {
        request = request.header(HEADERS[index].0, HEADERS[index].1);
    }
    request.body(Body::empty()).expect("a valid request")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_model_allows_exactly_what_the_policy_means(
        config in config_strategy(),
        call in call_strategy(),
    ) {
        let app = app(&config);
        let page = Browser::new(PAGES[call.page].0);
        let page = if call.include { page.credentials() } else { page };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
        let intended = intended(&config, &call);
        // twice: the second call may be answered from the preflight cache
        for _ in 0..2 {
            let answer = runtime.block_on(page.fetch(app.clone(), request(&call)));
            match &answer {
                Ok(response) => {
                    prop_assert!(intended, "allowed against the policy's intent");
                    prop_assert_eq!(response.status(), StatusCode::OK);
                    for name in ANSWERED {
                        prop_assert_eq!(
                            response.headers().contains_key(name),
                            readable(&config, name),
                            "{}", name
                        );
                    }
                }
                Err(blocked) => prop_assert!(!intended, "blocked against the policy's intent: {}", blocked),
            }
        }
    }
}
