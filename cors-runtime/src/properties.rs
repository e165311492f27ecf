//! Properties of the whole service over random policies and requests, checked against a plain
//! reference model of origin matching.

use std::convert::Infallible;

use cors_rules::config::Config;
use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use proptest::prelude::*;
use tower::{ServiceExt, service_fn};

use crate::{Cors, Decision, Verdict, testing};

const CONFIGURED: [&str; 5] = [
    "https://app.example.com",
    "http://localhost:3000",
    "https://*.example.org",
    "http://localhost:*",
    "https://api.example.net:8443",
];

const PROBES: [&str; 27] = [
    "https://app.example.com",
    "http://localhost:3000",
    "https://api.example.net:8443",
    "https://a.example.org",
    "https://a.b.example.org",
    "http://localhost:5173",
    "http://localhost",
    "https://app.example.com.evil.com",
    "https://evilapp.example.com",
    "http://app.example.com",
    "https://app.example.com:443",
    "https://example.org",
    "https://evilexample.org",
    "https://a.example.org.evil.com",
    "http://a.example.org",
    "https://localhost:3000",
    "http://localhost:80",
    "http://localhost:03000",
    "https://api.example.net",
    "null",
    "HTTPS://APP.EXAMPLE.COM",
    "https://app.example.com/",
    "https://.example.org",
    "https://a..example.org",
    "https://A.example.org",
    "https://a@b.example.org",
    "https://a/b.example.org",
];

/// Whether `origin` is allowed by `entry`, the slow and obvious way: split both into scheme, host
/// and port and compare label by label.
fn reference_allows(entry: &str, origin: &str) -> bool {
    fn split(text: &str) -> Option<(&str, &str, Option<&str>)> {
        let (scheme, rest) = text.split_once("://")?;
        match rest.split_once(':') {
            Some((host, port)) => Some((scheme, host, Some(port))),
            None => Some((scheme, rest, None)),
        }
    }
    if entry == "*" {
        return true;
    }
    let (Some((scheme, host, port)), Some((want_scheme, want_host, want_port))) =
        (split(origin), split(entry))
    else {
        return false;
    };
    let label_ok = |label: &str| {
        !label.is_empty()
            && label
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    };
    let host_ok = match want_host.strip_prefix("*.") {
        Some(domain) => {
            let labels: Vec<&str> = host.split('.').collect();
            let domain_labels: Vec<&str> = domain.split('.').collect();
            labels.len() > domain_labels.len()
                && labels.ends_with(&domain_labels)
                && labels.iter().all(|label| label_ok(label))
        }
        None => host == want_host,
    };
    let default_port = if scheme == "https" { "443" } else { "80" };
    let port_ok = match (want_port, port) {
        (Some("*"), None) => true,
        (Some("*"), Some(port)) => port
            .parse::<u16>()
            .is_ok_and(|p| p != 0 && p.to_string() == port && port != default_port),
        (want, port) => want == port,
    };
    scheme == want_scheme && host_ok && port_ok
}

fn config_strategy() -> impl Strategy<Value = Config<'static>> {
    let origins = prop_oneof![
        1 => Just(vec!["*"]),
        4 => proptest::sample::subsequence(CONFIGURED.to_vec(), 1..=CONFIGURED.len()),
    ];
    (
        origins,
        any::<bool>(),
        proptest::option::of(proptest::sample::subsequence(
            vec!["GET", "POST", "PUT", "PATCH", "DELETE"],
            1..=5,
        )),
        proptest::sample::subsequence(vec!["content-type", "x-api-key", "authorization"], 0..=3),
        proptest::sample::subsequence(vec!["x-request-id", "x-total"], 0..=2),
        proptest::option::of(0_i128..=86_400),
    )
        .prop_map(
            |(origins, credentials, methods, headers, expose, max_age)| Config {
                credentials: credentials && origins != ["*"],
                origins,
                methods,
                headers,
                expose,
                max_age,
                ..Config::default()
            },
        )
}

#[derive(Debug, Clone)]
struct Probe {
    method: Method,
    origins: Vec<String>,
    request_method: Option<&'static str>,
    request_headers: Option<&'static str>,
    handler_vary: Option<&'static str>,
}

fn probe_strategy() -> impl Strategy<Value = Probe> {
    let origin = prop_oneof![
        3 => proptest::sample::select(PROBES.to_vec()).prop_map(str::to_owned),
        1 => "https?://[a-z.]{1,16}(:[0-9]{1,5})?",
        1 => "[ -~]{0,24}",
    ];
    (
        proptest::sample::select(vec![
            Method::GET,
            Method::POST,
            Method::OPTIONS,
            Method::DELETE,
            Method::PATCH,
        ]),
        proptest::collection::vec(origin, 0..=2),
        proptest::option::of(proptest::sample::select(vec![
            "GET", "POST", "PATCH", "patch", "DELETE", "",
        ])),
        proptest::option::of(proptest::sample::select(vec![
            "content-type",
            "x-api-key,content-type",
            "authorization",
            "x-other",
            " , ",
        ])),
        proptest::option::of(proptest::sample::select(vec![
            "accept-encoding",
            "Origin",
            "*",
        ])),
    )
        .prop_map(
            |(method, origins, request_method, request_headers, handler_vary)| Probe {
                method,
                origins,
                request_method,
                request_headers,
                handler_vary,
            },
        )
}

fn run(config: &Config<'static>, probe: &Probe) -> Response<String> {
    let policy = testing::policy(config);
    let vary = probe.handler_vary;
    let inner = service_fn(move |_request: Request<String>| async move {
        let mut response = Response::new(String::from("handler"));
        if let Some(vary) = vary {
            response
                .headers_mut()
                .insert(VARY, HeaderValue::from_static(vary));
        }
        Ok::<_, Infallible>(response)
    });
    let mut request = Request::new(String::new());
    *request.method_mut() = probe.method.clone();
    *request.headers_mut() = headers(probe);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    runtime
        .block_on(Cors::new(inner, policy, &testing::HANDLER).oneshot(request))
        .unwrap_or_else(|never| match never {})
}

/// The headers of the probe's request.
fn headers(probe: &Probe) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for origin in &probe.origins {
        headers.append(
            ORIGIN,
            HeaderValue::from_str(origin).expect("visible ASCII"),
        );
    }
    if let Some(method) = probe.request_method {
        headers.insert(
            ACCESS_CONTROL_REQUEST_METHOD,
            HeaderValue::from_static(method),
        );
    }
    if let Some(names) = probe.request_headers {
        headers.insert(
            ACCESS_CONTROL_REQUEST_HEADERS,
            HeaderValue::from_static(names),
        );
    }
    headers
}

fn varies_with_origin(response: &Response<String>) -> bool {
    response.headers().get_all(VARY).iter().any(|value| {
        value
            .to_str()
            .unwrap_or("")
            .split(',')
            .any(|name| name.trim().eq_ignore_ascii_case("origin") || name.trim() == "*")
    })
}

/// An origin near `entry`: one character inserted, removed or replaced, the case or scheme
/// changed, a label or port added, or the wildcard filled in.
fn near_miss(entry: &'static str) -> impl Strategy<Value = String> {
    let filled = entry.replace("*.", "a.").replace(":*", ":8080");
    let len = filled.len();
    prop_oneof![
        Just(filled.clone()),
        (0..=len, proptest::char::range('!', '~')).prop_map({
            let filled = filled.clone();
            move |(at, c)| {
                let mut text = filled.clone();
                text.insert(at.min(text.len()), c);
                text
            }
        }),
        (0..len).prop_map({
            let filled = filled.clone();
            move |at| {
                let mut text = filled.clone();
                text.remove(at);
                text
            }
        }),
        (0..len, proptest::char::range('!', '~')).prop_map({
            let filled = filled.clone();
            move |(at, c)| {
                let mut text = filled.clone();
                text.replace_range(at..=at, &c.to_string());
                text
            }
        }),
        Just(filled.to_uppercase()),
        Just(
            filled
                .replacen("https://", "http://", 1)
                .replacen("http://", "https://", 1)
        ),
        Just(format!("{filled}.evil.com")),
        Just(format!("{filled}:443")),
        Just(filled.replacen("://", "://evil", 1)),
        Just(filled.replacen("://", "://x.", 1)),
    ]
}

fn origin_strategy() -> impl Strategy<Value = String> {
    proptest::sample::select(CONFIGURED.to_vec()).prop_flat_map(near_miss)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_origin_matcher_agrees_with_the_reference_model(
        config in config_strategy(),
        origin in origin_strategy(),
    ) {
        let policy = testing::policy(&config);
        let Ok(value) = HeaderValue::from_str(&origin) else {
            return Ok(());
        };
        let mut headers = HeaderMap::new();
        headers.insert(ORIGIN, value);
        let granted = matches!(
            crate::decide(policy, &Method::GET, &headers),
            Decision::Actual(Verdict::Allowed(_))
        );
        let listed = config.methods.as_ref().is_none_or(|methods| methods.contains(&"GET"));
        let expected = listed && config.origins.iter().any(|entry| reference_allows(entry, &origin));
        prop_assert_eq!(granted, expected, "{} against {:?}", origin, config.origins);
    }

    #[test]
    fn decide_tells_exactly_the_origin_the_layer_sends(config in config_strategy(), probe in probe_strategy()) {
        let policy = testing::policy(&config);
        let headers = headers(&probe);
        let expected = match crate::decide(policy, &probe.method, &headers) {
            Decision::Preflight(Verdict::Allowed(origin))
            | Decision::Actual(Verdict::Allowed(origin))
            | Decision::Explained { origin, .. } => Some(origin.value()),
            _ => None,
        };
        let response = run(&config, &probe);
        prop_assert_eq!(response.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN), expected.as_ref());
    }

    #[test]
    fn nothing_is_granted_outside_the_policy(config in config_strategy(), probe in probe_strategy()) {
        let response = run(&config, &probe);
        let headers = response.headers();
        let allow_origin: Vec<&HeaderValue> = headers.get_all(ACCESS_CONTROL_ALLOW_ORIGIN).iter().collect();
        prop_assert!(allow_origin.len() <= 1, "two Access-Control-Allow-Origin headers");
        if let Some(value) = allow_origin.first() {
            if *value == "*" {
                prop_assert!(!config.credentials, "`*` with credentials");
                prop_assert_eq!(&config.origins, &vec!["*"]);
                prop_assert!(headers.get(ACCESS_CONTROL_ALLOW_CREDENTIALS).is_none());
            } else {
                prop_assert_eq!(probe.origins.len(), 1, "granted a request without exactly one Origin");
                prop_assert_eq!(value.as_bytes(), probe.origins[0].as_bytes(), "granted another origin than sent");
                let origin = probe.origins[0].as_str();
                prop_assert!(
                    config.origins.iter().any(|entry| reference_allows(entry, origin)),
                    "granted {} outside {:?}", origin, config.origins
                );
                prop_assert!(varies_with_origin(&response), "echoed origin without Vary: Origin");
            }
        }
        if let Some(credentials) = headers.get(ACCESS_CONTROL_ALLOW_CREDENTIALS) {
            prop_assert!(config.credentials);
            prop_assert_eq!(credentials, "true");
            prop_assert!(!allow_origin.is_empty());
        }
        if config.origins != ["*"] {
            prop_assert!(varies_with_origin(&response), "origin-dependent answer without Vary: Origin");
        }
    }

    #[test]
    fn refused_preflights_disclose_nothing(config in config_strategy(), probe in probe_strategy()) {
        let response = run(&config, &probe);
        if response.status() == StatusCode::FORBIDDEN {
            for name in [
                ACCESS_CONTROL_ALLOW_ORIGIN,
                ACCESS_CONTROL_ALLOW_CREDENTIALS,
                ACCESS_CONTROL_ALLOW_METHODS,
                ACCESS_CONTROL_ALLOW_HEADERS,
                ACCESS_CONTROL_EXPOSE_HEADERS,
                ACCESS_CONTROL_MAX_AGE,
            ] {
                prop_assert!(response.headers().get(&name).is_none(), "refused preflight sent {}", name);
            }
            prop_assert!(response.body().is_empty(), "refused preflight reached the handler");
        }
        let is_preflight = probe.method == Method::OPTIONS && !probe.origins.is_empty() && probe.request_method.is_some();
        prop_assert_eq!(response.body() == "handler", !is_preflight, "the handler's response was returned for a preflight, or withheld for an actual request");
    }
}

#[test]
fn the_reference_model_agrees_with_itself_on_the_obvious_cases() {
    assert!(reference_allows(
        "https://*.example.org",
        "https://a.b.example.org"
    ));
    assert!(!reference_allows(
        "https://*.example.org",
        "https://example.org"
    ));
    assert!(!reference_allows(
        "https://*.example.org",
        "https://a.example.org.evil.com"
    ));
    assert!(reference_allows("http://localhost:*", "http://localhost"));
    assert!(!reference_allows(
        "http://localhost:*",
        "http://localhost:80"
    ));
    assert!(!reference_allows(
        "https://app.example.com",
        "https://app.example.com:443"
    ));
}
