//! What the decision says about each kind of request.

use cors_rules::config::Config;
use http::header::{ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};

use super::*;
use crate::testing;

const APP: &str = "https://app.example.com";

fn config() -> Config<'static> {
    Config {
        origins: vec![APP, "https://*.example.org", "http://localhost:*"],
        credentials: true,
        methods: Some(vec!["GET", "POST", "PATCH"]),
        headers: vec!["content-type", "x-api-key"],
        ..Config::default()
    }
}

fn headers(pairs: &[(http::HeaderName, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(name.clone(), HeaderValue::from_static(value));
    }
    map
}

fn preflight_headers(origin: &'static str, method: &'static str) -> HeaderMap {
    headers(&[(ORIGIN, origin), (ACCESS_CONTROL_REQUEST_METHOD, method)])
}

#[test]
fn a_request_without_origin_is_not_a_cors_request() {
    let policy = testing::policy(&config());
    assert_eq!(
        decide(policy, &Method::GET, &HeaderMap::new()),
        Decision::NotCors
    );
    let only_method = headers(&[(ACCESS_CONTROL_REQUEST_METHOD, "GET")]);
    assert_eq!(
        decide(policy, &Method::OPTIONS, &only_method),
        Decision::NotCors
    );
}

#[test]
fn an_options_request_without_request_method_is_not_a_preflight() {
    let policy = testing::policy(&Config {
        methods: Some(vec!["*"]),
        credentials: false,
        ..config()
    });
    let request = headers(&[(ORIGIN, APP)]);
    assert!(matches!(
        decide(policy, &Method::OPTIONS, &request),
        Decision::Actual(Verdict::Allowed(_))
    ));
}

#[test]
fn a_preflight_from_a_listed_origin_is_allowed_with_the_listed_constant() {
    let policy = testing::policy(&config());
    let request = preflight_headers(APP, "PATCH");
    let Decision::Preflight(Verdict::Allowed(AllowOrigin::Listed(value))) =
        decide(policy, &Method::OPTIONS, &request)
    else {
        panic!("expected a grant from the list");
    };
    assert_eq!(value, APP);
}

#[test]
fn a_pattern_match_echoes_the_request_origin() {
    let policy = testing::policy(&config());
    for origin in [
        "https://a.example.org",
        "https://a.b.example.org",
        "http://localhost:5173",
    ] {
        let request = headers(&[(ORIGIN, origin)]);
        assert_eq!(
            decide(policy, &Method::GET, &request),
            Decision::Actual(Verdict::Allowed(AllowOrigin::Echo(
                &HeaderValue::from_static(origin)
            ))),
            "{origin}"
        );
    }
}

/// A preflight from `APP`, which the test policy allows, refused for `refusal` and answered with
/// the policy's own lists.
fn explained(refusal: Refusal<'static>) -> Decision<'static> {
    static ORIGIN: HeaderValue = HeaderValue::from_static(APP);
    Decision::Explained {
        origin: AllowOrigin::Listed(&ORIGIN),
        refusal,
    }
}

#[test]
fn preflight_methods_compare_case_sensitively() {
    let policy = testing::policy(&config());
    let request = preflight_headers(APP, "patch");
    assert_eq!(
        decide(policy, &Method::OPTIONS, &request),
        explained(Refusal::MethodNotAllowed(b"patch"))
    );
}

#[test]
fn a_preflight_for_an_unlisted_method_is_refused_before_the_origin_is_looked_at() {
    let policy = testing::policy(&config());
    let request = preflight_headers("https://evil.com", "DELETE");
    assert_eq!(
        decide(policy, &Method::OPTIONS, &request),
        Decision::Preflight(Verdict::Refused(Refusal::MethodNotAllowed(b"DELETE")))
    );
}

#[test]
fn a_repeated_request_method_names_no_method() {
    let policy = testing::policy(&config());
    let mut request = preflight_headers(APP, "GET");
    request.append(
        ACCESS_CONTROL_REQUEST_METHOD,
        HeaderValue::from_static("GET"),
    );
    assert_eq!(
        decide(policy, &Method::OPTIONS, &request),
        explained(Refusal::MethodNotAllowed(b""))
    );
}

#[test]
fn a_preflight_names_the_first_header_not_allowed() {
    let policy = testing::policy(&config());
    let mut request = preflight_headers(APP, "POST");
    request.append(
        ACCESS_CONTROL_REQUEST_HEADERS,
        HeaderValue::from_static("Content-Type, X-API-Key"),
    );
    assert!(matches!(
        decide(policy, &Method::OPTIONS, &request),
        Decision::Preflight(Verdict::Allowed(_))
    ));
    request.append(
        ACCESS_CONTROL_REQUEST_HEADERS,
        HeaderValue::from_static("x-other,authorization"),
    );
    assert_eq!(
        decide(policy, &Method::OPTIONS, &request),
        explained(Refusal::HeaderNotAllowed(b"x-other"))
    );
}

#[test]
fn unlisted_malformed_huge_and_repeated_origins_are_refused() {
    let policy = testing::policy(&config());
    let evil = HeaderValue::from_static("https://evil.com");
    let request = headers(&[(ORIGIN, "https://evil.com")]);
    assert_eq!(
        decide(policy, &Method::GET, &request),
        Decision::Actual(Verdict::Refused(Refusal::OriginNotAllowed(&evil)))
    );
    for malformed in [
        "https://app.example.com/",
        "HTTPS://APP.EXAMPLE.COM",
        "app.example.com",
        "",
    ] {
        let request = headers(&[(ORIGIN, malformed)]);
        let value = HeaderValue::from_static(malformed);
        assert_eq!(
            decide(policy, &Method::GET, &request),
            Decision::Actual(Verdict::Refused(Refusal::OriginNotAllowed(&value))),
            "{malformed:?}"
        );
    }
    let long =
        HeaderValue::from_str(&format!("https://{}.example.org", "a".repeat(70_000))).unwrap();
    let mut request = HeaderMap::new();
    request.insert(ORIGIN, long.clone());
    assert_eq!(
        decide(policy, &Method::GET, &request),
        Decision::Actual(Verdict::Refused(Refusal::OriginNotAllowed(&long)))
    );
    let request = headers(&[(ORIGIN, APP), (ORIGIN, APP)]);
    assert_eq!(
        decide(policy, &Method::GET, &request),
        Decision::Actual(Verdict::Refused(Refusal::RepeatedOrigin))
    );
}

#[test]
fn the_null_origin_is_never_matched_by_a_pattern() {
    let policy = testing::policy(&config());
    let null = HeaderValue::from_static("null");
    let request = headers(&[(ORIGIN, "null")]);
    assert_eq!(
        decide(policy, &Method::GET, &request),
        Decision::Actual(Verdict::Refused(Refusal::OriginNotAllowed(&null)))
    );
}

#[test]
fn an_actual_request_with_an_unlisted_method_is_left_to_other_policies() {
    let policy = testing::policy(&config());
    let request = headers(&[(ORIGIN, APP)]);
    assert_eq!(
        decide(policy, &Method::DELETE, &request),
        Decision::Actual(Verdict::Refused(Refusal::MethodNotAllowed(b"DELETE")))
    );
}

#[test]
fn head_is_answered_with_get() {
    let policy = testing::policy(&Config {
        methods: Some(vec!["GET"]),
        ..config()
    });
    let request = headers(&[(ORIGIN, APP)]);
    assert!(matches!(
        decide(policy, &Method::HEAD, &request),
        Decision::Actual(Verdict::Allowed(_))
    ));
}

#[test]
fn a_request_without_origin_to_an_any_origin_policy_gets_the_star_the_layer_sends() {
    let policy = testing::policy(&Config {
        origins: vec!["*"],
        credentials: false,
        ..config()
    });
    assert_eq!(
        decide(policy, &Method::GET, &HeaderMap::new()),
        Decision::Actual(Verdict::Allowed(AllowOrigin::Any))
    );
    assert_eq!(
        decide(policy, &Method::DELETE, &HeaderMap::new()),
        Decision::NotCors,
        "a method the policy does not list gets nothing from it"
    );
    assert!(!policy.varies_with_origin());
}

#[test]
fn an_any_origin_policy_allows_every_origin_with_a_star() {
    let policy = testing::policy(&Config {
        origins: vec!["*"],
        credentials: false,
        ..config()
    });
    for origin in ["https://evil.com", "null", "not an origin"] {
        let request = headers(&[(ORIGIN, origin)]);
        assert_eq!(
            decide(policy, &Method::GET, &request),
            Decision::Actual(Verdict::Allowed(AllowOrigin::Any)),
            "{origin}"
        );
    }
}
