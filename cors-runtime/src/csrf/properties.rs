//! Properties of [`check`] over arbitrary header bytes: it never panics, and it keeps the
//! promises the rules make whatever the headers hold.

use std::cell::Cell;

use http::header::{CONNECTION, HOST, ORIGIN, UPGRADE};
use http::{HeaderMap, HeaderValue, Method, Uri};
use proptest::prelude::*;

use super::{Pass, Refusal, SEC_FETCH_SITE, Verdict, check};

/// Values the rules treat specially, mixed with arbitrary bytes.
const NOTABLE: [&str; 16] = [
    "same-origin",
    "same-site",
    "cross-site",
    "none",
    "",
    "websocket",
    "Upgrade",
    "app.example.com",
    "app.example.com:443",
    "[::1]:3000",
    "https://app.example.com",
    "http://app.example.com:443",
    "https://evil.example",
    "http://[::1]:3000",
    "null",
    "https://",
];

/// One header value: a notable one or any bytes a `HeaderValue` may hold.
fn value() -> impl Strategy<Value = HeaderValue> {
    let bytes = proptest::collection::vec(
        prop_oneof![Just(b'\t'), 0x20_u8..0x7f, 0x80_u8..=0xff],
        0..40,
    );
    prop_oneof![
        proptest::sample::select(&NOTABLE[..]).prop_map(HeaderValue::from_static),
        bytes.prop_map(|bytes| HeaderValue::from_bytes(&bytes).expect("only allowed bytes")),
    ]
}

/// Zero to three lines of one header.
fn lines() -> impl Strategy<Value = Vec<HeaderValue>> {
    proptest::collection::vec(value(), 0..=3)
}

fn method() -> impl Strategy<Value = Method> {
    proptest::sample::select(
        &[
            "GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "CONNECT", "TRACE", "X",
        ][..],
    )
    .prop_map(|name| Method::from_bytes(name.as_bytes()).expect("a token"))
}

fn uri() -> impl Strategy<Value = Uri> {
    proptest::sample::select(
        &[
            "/",
            "/a?b",
            "*",
            "https://app.example.com/",
            "http://[::1]:3000/",
        ][..],
    )
    .prop_map(Uri::from_static)
}

/// A request: its method, target and headers, and the one origin its policy allows (a notable
/// origin or one of the request's own `Origin` lines).
#[derive(Debug)]
struct Case {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    allowed: Option<HeaderValue>,
}

fn case() -> impl Strategy<Value = Case> {
    let names = [SEC_FETCH_SITE.clone(), ORIGIN, HOST, UPGRADE, CONNECTION];
    (
        method(),
        uri(),
        [lines(), lines(), lines(), lines(), lines()],
        value(),
        any::<Option<usize>>(),
    )
        .prop_map(move |(method, uri, all_lines, other, pick)| {
            let mut headers = HeaderMap::new();
            for (name, values) in names.iter().zip(all_lines) {
                for value in values {
                    headers.append(name.clone(), value);
                }
            }
            let origins: Vec<&HeaderValue> = headers.get_all(ORIGIN).iter().collect();
            let allowed = match pick {
                Some(index) if !origins.is_empty() => Some(origins[index % origins.len()].clone()),
                Some(_) => Some(other),
                None => None,
            };
            Case {
                method,
                uri,
                headers,
                allowed,
            }
        })
}

impl Case {
    /// The verdict, and how often the policy was asked.
    fn verdict(&self) -> (Verdict, usize) {
        let calls = Cell::new(0);
        let verdict = check(&self.method, &self.uri, &self.headers, |origin| {
            calls.set(calls.get() + 1);
            self.allowed
                .as_ref()
                .is_some_and(|allowed| allowed.as_bytes() == origin)
        });
        (verdict, calls.get())
    }

    fn one_origin(&self) -> Option<&HeaderValue> {
        let mut origins = self.headers.get_all(ORIGIN).iter();
        origins.next().filter(|_| origins.next().is_none())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn a_safe_method_is_refused_only_as_a_websocket_handshake(case in case()) {
        let (verdict, _) = case.verdict();
        let safe = matches!(case.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if safe && let Verdict::Refuse(refusal) = verdict {
            let upgrade_names_websocket = case.headers.get_all(UPGRADE).iter().any(|line| {
                line.as_bytes().to_ascii_lowercase().windows(9).any(|w| w == b"websocket")
            });
            prop_assert_eq!(&case.method, Method::GET);
            prop_assert!(upgrade_names_websocket);
            prop_assert!(matches!(
                refusal,
                Refusal::WebSocketFromOtherOrigin | Refusal::RepeatedOrigin
            ));
        }
    }

    #[test]
    fn a_request_with_neither_header_is_never_refused(case in case()) {
        let (verdict, _) = case.verdict();
        if !case.headers.contains_key(ORIGIN) && !case.headers.contains_key(&SEC_FETCH_SITE) {
            prop_assert!(matches!(verdict, Verdict::Pass(_)), "{:?}", verdict);
        }
    }

    #[test]
    fn an_allowed_origin_is_never_refused(case in case()) {
        let (verdict, _) = case.verdict();
        if case.one_origin().is_some() && case.one_origin() == case.allowed.as_ref() {
            prop_assert!(matches!(verdict, Verdict::Pass(_)), "{:?}", verdict);
        }
    }

    #[test]
    fn the_verdict_is_the_same_every_time_and_the_policy_is_asked_at_most_once(case in case()) {
        let (first, calls) = case.verdict();
        prop_assert!(calls <= 1);
        prop_assert_eq!(case.verdict().0, first);
        if first == Verdict::Pass(Pass::AllowedOrigin) {
            prop_assert_eq!(calls, 1);
        }
    }
}
