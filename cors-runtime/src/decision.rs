//! The decision engine: one pure function from a policy and a request to what CORS says about it.

use http::header::{ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use http::{HeaderMap, HeaderValue, Method};

use crate::Policy;
use crate::origin::AllowOrigin;

/// What a [`Policy`] says about one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision<'r> {
    /// No `Origin` header: not a CORS request, the handler answers as usual.
    NotCors,
    /// A preflight: `OPTIONS` with `Origin` and `Access-Control-Request-Method`.
    Preflight(Verdict<'r>),
    /// Any other request with `Origin` (an `OPTIONS` without `Access-Control-Request-Method`
    /// included): the handler runs whatever the verdict.
    Actual(Verdict<'r>),
}

/// Whether a CORS request is granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict<'r> {
    /// Granted, with the `Access-Control-Allow-Origin` to send.
    Allowed(AllowOrigin<'r>),
    /// Refused, and why.
    Refused(Refusal<'r>),
}

/// Why a CORS request was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal<'r> {
    /// More than one `Origin` header: browsers send exactly one.
    RepeatedOrigin,
    /// An origin the policy does not allow, well-formed or not (the [explanation](Refusal::explain)
    /// says which).
    OriginNotAllowed(&'r HeaderValue),
    /// A method (or `Access-Control-Request-Method`) that the policy does not list.
    MethodNotAllowed(&'r [u8]),
    /// A header in `Access-Control-Request-Headers` that the policy does not allow.
    HeaderNotAllowed(&'r [u8]),
    /// `Access-Control-Request-Headers` names more headers than the policy allows, so it repeats
    /// one (browsers never do) or names one that is not allowed: refused before looking further.
    TooManyHeaders,
}

/// Decides what `policy` says about a request with this method and these headers.
///
/// Pure and allocation-free: the same inputs always give the same decision, which borrows from
/// `headers` (the echoed origin, the refused name) and from the policy's constants.
#[must_use]
pub fn decide<'r>(
    policy: &'static Policy,
    method: &'r Method,
    headers: &'r HeaderMap,
) -> Decision<'r> {
    let mut origins = headers.get_all(ORIGIN).iter();
    let Some(origin) = origins.next() else {
        return Decision::NotCors;
    };
    let repeated = origins.next().is_some();
    // only OPTIONS with Origin and Access-Control-Request-Method is a preflight
    // (fetch #cors-preflight-request); any other OPTIONS goes to the handler
    if method == Method::OPTIONS {
        let mut requested = headers.get_all(ACCESS_CONTROL_REQUEST_METHOD).iter();
        if let Some(requested_method) = requested.next() {
            // a browser sends one method; two lines name no method this policy lists
            let requested_method = match requested.next() {
                None => requested_method.as_bytes(),
                Some(_) => b"",
            };
            return Decision::Preflight(preflight(
                policy,
                origin,
                repeated,
                requested_method,
                headers,
            ));
        }
    }
    Decision::Actual(actual(policy, method, origin, repeated))
}

fn preflight<'r>(
    policy: &'static Policy,
    origin: &'r HeaderValue,
    repeated: bool,
    method: &'r [u8],
    headers: &'r HeaderMap,
) -> Verdict<'r> {
    // the method first: a preflight for a method this policy does not list belongs to the
    // policy of the handler that serves it, further in
    if !policy.methods.allows(method) {
        return Verdict::Refused(Refusal::MethodNotAllowed(method));
    }
    let origin = match policy.origins.check(origin, repeated) {
        Ok(origin) => origin,
        Err(refusal) => return Verdict::Refused(refusal),
    };
    match policy
        .headers
        .check(headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter())
    {
        Ok(()) => Verdict::Allowed(origin),
        Err(refusal) => Verdict::Refused(refusal),
    }
}

fn actual<'r>(
    policy: &'static Policy,
    method: &'r Method,
    origin: &'r HeaderValue,
    repeated: bool,
) -> Verdict<'r> {
    if !policy.methods.allows(method.as_str().as_bytes()) {
        return Verdict::Refused(Refusal::MethodNotAllowed(method.as_str().as_bytes()));
    }
    match policy.origins.check(origin, repeated) {
        Ok(origin) => Verdict::Allowed(origin),
        Err(refusal) => Verdict::Refused(refusal),
    }
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn preflight_methods_compare_case_sensitively() {
        let policy = testing::policy(&config());
        let request = preflight_headers(APP, "patch");
        assert_eq!(
            decide(policy, &Method::OPTIONS, &request),
            Decision::Preflight(Verdict::Refused(Refusal::MethodNotAllowed(b"patch")))
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
            Decision::Preflight(Verdict::Refused(Refusal::MethodNotAllowed(b"")))
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
            Decision::Preflight(Verdict::Refused(Refusal::HeaderNotAllowed(b"x-other")))
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
}
