//! The decision engine: one pure function from a policy and a request to what CORS says about it.

use http::header::{ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use http::{HeaderMap, HeaderValue, Method};

use crate::origin::AllowOrigin;
use crate::{Policy, Refusal};

/// What a [`Policy`] says about one request: exactly what its layer sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision<'r> {
    /// Not a CORS request (no `Origin` header) to a policy whose answer depends on the origin: the
    /// handler answers as usual and the layer adds only `Vary`.
    NotCors,
    /// A preflight: `OPTIONS` with `Origin` and `Access-Control-Request-Method`.
    Preflight(Verdict<'r>),
    /// Any other request with `Origin` (an `OPTIONS` without `Access-Control-Request-Method`
    /// included), or any request at all to a policy that allows every origin, which sends `*`
    /// whether there is an `Origin` or not: the handler runs whatever the verdict.
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

/// Decides what `policy` says about a request with this method and these headers: what the
/// policy's layer sends, header for header.
///
/// Pure and allocation-free: the same inputs always give the same decision, which borrows from
/// `headers` (the echoed origin, the refused name) and from the policy's constants.
#[must_use]
pub fn decide<'r>(
    policy: &'static Policy,
    method: &'r Method,
    headers: &'r HeaderMap,
) -> Decision<'r> {
    Asked::read(method, headers).decide(policy, method, headers)
}

/// The CORS headers of a request, each read once.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Asked<'r> {
    /// The first `Origin`.
    origin: Option<&'r HeaderValue>,
    /// Whether `Origin` came more than once.
    repeated: bool,
    /// Whether the request is a preflight.
    preflight: bool,
    /// A preflight's one `Access-Control-Request-Method`; `None` when it came more than once,
    /// which names no method.
    requested: Option<&'r HeaderValue>,
}

impl<'r> Asked<'r> {
    /// Reads `Origin` and, on `OPTIONS`, `Access-Control-Request-Method`.
    pub(crate) fn read(method: &Method, headers: &'r HeaderMap) -> Self {
        let mut origins = headers.get_all(ORIGIN).iter();
        let origin = origins.next();
        let repeated = origins.next().is_some();
        // only OPTIONS with Origin and Access-Control-Request-Method is a preflight
        // (fetch #cors-preflight-request); any other OPTIONS goes to the handler
        let (mut preflight, mut requested) = (false, None);
        if origin.is_some() && method == Method::OPTIONS {
            let mut lines = headers.get_all(ACCESS_CONTROL_REQUEST_METHOD).iter();
            if let Some(first) = lines.next() {
                preflight = true;
                requested = lines.next().is_none().then_some(first);
            }
        }
        Self {
            origin,
            repeated,
            preflight,
            requested,
        }
    }

    /// The preflight's `Access-Control-Request-Method`, if this is a preflight naming one.
    pub(crate) fn requested_method(&self) -> Option<&'r HeaderValue> {
        self.requested
    }

    /// What `policy` says about the request these headers came with.
    pub(crate) fn decide(
        self,
        policy: &'static Policy,
        method: &'r Method,
        headers: &'r HeaderMap,
    ) -> Decision<'r> {
        let Some(origin) = self.origin else {
            let answer = policy.origins.without_origin();
            return match answer {
                Some(origin) if policy.rules.methods.allows(method.as_str().as_bytes()) => {
                    Decision::Actual(Verdict::Allowed(origin))
                }
                _ => Decision::NotCors,
            };
        };
        if self.preflight {
            // a browser sends one method; two lines name no method this policy lists
            let requested = self.requested.map_or(&b""[..], HeaderValue::as_bytes);
            return Decision::Preflight(self.preflight(policy, origin, requested, headers));
        }
        let method = method.as_str().as_bytes();
        if !policy.rules.methods.allows(method) {
            return Decision::Actual(Verdict::Refused(Refusal::MethodNotAllowed(method)));
        }
        Decision::Actual(policy.origins.check(origin, self.repeated).into())
    }

    fn preflight(
        self,
        policy: &'static Policy,
        origin: &'r HeaderValue,
        method: &'r [u8],
        headers: &'r HeaderMap,
    ) -> Verdict<'r> {
        // the method first: a preflight for a method this policy does not list belongs to the
        // policy of the handler that serves it, further in
        if !policy.rules.methods.allows(method) {
            return Verdict::Refused(Refusal::MethodNotAllowed(method));
        }
        let origin = match policy.origins.check(origin, self.repeated) {
            Ok(origin) => origin,
            Err(refusal) => return Verdict::Refused(refusal),
        };
        let requested = headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter();
        match policy.rules.headers.check(requested) {
            Ok(()) => Verdict::Allowed(origin),
            Err(refusal) => Verdict::Refused(refusal),
        }
    }
}

impl<'r> From<Result<AllowOrigin<'r>, Refusal<'r>>> for Verdict<'r> {
    fn from(checked: Result<AllowOrigin<'r>, Refusal<'r>>) -> Self {
        match checked {
            Ok(origin) => Self::Allowed(origin),
            Err(refusal) => Self::Refused(refusal),
        }
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
