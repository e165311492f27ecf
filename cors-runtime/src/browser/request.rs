//! What a script may send: the method as browsers normalize it, the headers `fetch` keeps, and
//! which of them make a preflight necessary (fetch `#cors-safelisted-request-header`).

use cors_rules::{header, method};
use http::header::{ACCEPT, ACCEPT_LANGUAGE, CONTENT_LANGUAGE, CONTENT_TYPE, COOKIE, RANGE};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Uri};
use http_body::Body;

use super::blocked::{Failure, Reason};

/// Headers that are forbidden when one of their methods is (fetch `#forbidden-request-header`,
/// step 3).
const METHOD_OVERRIDES: [&str; 3] = [
    "x-http-method",
    "x-http-method-override",
    "x-method-override",
];

/// The most bytes a safelisted value may have.
const SAFELISTED_VALUE_MAX: usize = 128;

/// The most bytes all safelisted values may have together before each of them needs a preflight
/// (fetch `#cors-unsafe-request-header-names`).
const SAFELISTED_TOTAL_MAX: usize = 1024;

/// The essences of the `Content-Type`s a script may send without a preflight.
const SAFELISTED_CONTENT_TYPES: [&str; 3] = [
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
];

/// Makes a script's request into the one the browser sends: method normalized, forbidden headers
/// dropped, `Accept: */*` when the script sets none, and `Cookie` kept only when `credentials` go
/// with the call, standing for the cookies the browser holds.
///
/// # Errors
/// A forbidden method, or a body on a `GET` or `HEAD`: `fetch` throws on both.
pub(crate) fn prepare<B: Body>(
    mut request: Request<B>,
    credentials: bool,
) -> Result<Request<B>, Failure> {
    let method = Method::from_bytes(method::normalize(request.method().as_str()).as_bytes())
        .unwrap_or_else(|_| request.method().clone());
    if method::is_forbidden(method.as_str()) {
        return Err(Failure::new(
            Reason::ForbiddenMethod,
            method.as_str().as_bytes(),
        ));
    }
    let body = request.body();
    let empty = body.is_end_stream() || body.size_hint().exact() == Some(0);
    if (method == Method::GET || method == Method::HEAD) && !empty {
        return Err(Failure::new(Reason::BodyWithGetOrHead, b""));
    }
    *request.method_mut() = method;
    let headers = std::mem::take(request.headers_mut());
    let kept = request.headers_mut();
    for (name, value) in &headers {
        let cookie = name == COOKIE && credentials;
        if cookie || !is_forbidden(name, value) {
            // `Headers` strips spaces and tabs around values (fetch #concept-header-value-normalize);
            // a `HeaderValue` holds no other whitespace
            let trimmed = value.as_bytes().trim_ascii();
            let value = HeaderValue::from_bytes(trimmed).unwrap_or_else(|_| value.clone());
            kept.append(name, value);
        }
    }
    // what `fetch` sends when the script sets no `Accept` (fetch #fetching)
    if !kept.contains_key(ACCEPT) {
        kept.insert(ACCEPT, HeaderValue::from_static("*/*"));
    }
    Ok(request)
}

/// Whether scripts may not set this header: its name is forbidden, or it overrides the method
/// with a forbidden one.
fn is_forbidden(name: &HeaderName, value: &HeaderValue) -> bool {
    header::is_forbidden_request(name.as_str())
        || (METHOD_OVERRIDES.contains(&name.as_str())
            && String::from_utf8_lossy(value.as_bytes())
                .split(',')
                .any(|item| method::is_forbidden(item.trim_matches([' ', '\t']))))
}

/// Whether `method` never needs a preflight (fetch `#cors-safelisted-method`).
pub(crate) fn is_safelisted_method(method: &Method) -> bool {
    [Method::GET, Method::HEAD, Method::POST].contains(method)
}

/// The request headers that need a preflight, lowercase, sorted and without repeats
/// (fetch `#cors-unsafe-request-header-names`).
pub(crate) fn unsafe_names(headers: &HeaderMap) -> Vec<HeaderName> {
    let mut names = Vec::new();
    let mut safelisted = Vec::new();
    let mut total = 0;
    for (name, value) in headers {
        // `Cookie` stands for the browser's own cookies, added after the CORS decisions
        if name == COOKIE {
            continue;
        }
        if is_safelisted(name, value.as_bytes()) {
            safelisted.push(name);
            total += value.len();
        } else {
            names.push(name);
        }
    }
    if total > SAFELISTED_TOTAL_MAX {
        names.append(&mut safelisted);
    }
    names.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
    names.dedup();
    names.into_iter().cloned().collect()
}

/// Whether this one header needs no preflight (fetch `#cors-safelisted-request-header`).
fn is_safelisted(name: &HeaderName, value: &[u8]) -> bool {
    if value.len() > SAFELISTED_VALUE_MAX {
        return false;
    }
    if name == ACCEPT {
        !value.iter().copied().any(is_unsafe_byte)
    } else if name == ACCEPT_LANGUAGE || name == CONTENT_LANGUAGE {
        value
            .iter()
            .all(|&byte| byte.is_ascii_alphanumeric() || b" *,-.;=".contains(&byte))
    } else if name == CONTENT_TYPE {
        !value.iter().copied().any(is_unsafe_byte)
            && essence(value).is_some_and(|essence| {
                SAFELISTED_CONTENT_TYPES
                    .iter()
                    .any(|safe| safe.eq_ignore_ascii_case(essence))
            })
    } else if name == RANGE {
        is_simple_range(value)
    } else {
        false
    }
}

/// A CORS-unsafe request-header byte: controls but tab, and the delimiters but `,/;=`.
fn is_unsafe_byte(byte: u8) -> bool {
    byte < 0x20 && byte != b'\t' || b"\"():<>?@[\\]{}\x7f".contains(&byte)
}

/// The `type/subtype` of a MIME type, as "parse a MIME type" reads it, or `None` when it is not one.
fn essence(value: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(value)
        .ok()?
        .trim_matches(HTTP_WHITESPACE);
    let head = text.split(';').next()?.trim_end_matches(HTTP_WHITESPACE);
    let (kind, subtype) = head.split_once('/')?;
    let is_token = |part: &str| !part.is_empty() && part.bytes().all(cors_rules::token::is_tchar);
    (is_token(kind) && is_token(subtype)).then_some(head)
}

/// The whitespace HTTP trims: tab, line feed, carriage return and space.
const HTTP_WHITESPACE: [char; 4] = ['\t', '\n', '\r', ' '];

/// A `Range` of the one simple form browsers safelist: `bytes=N-` or `bytes=N-M` with `N <= M`
/// (fetch `#simple-range-header-value`, without whitespace; `bytes=-N` is not safelisted).
fn is_simple_range(value: &[u8]) -> bool {
    let Some(range) = value.strip_prefix(b"bytes=") else {
        return false;
    };
    let Some(dash) = range.iter().position(|&byte| byte == b'-') else {
        return false;
    };
    let (start, end) = (&range[..dash], &range[dash + 1..]);
    let digits = |part: &[u8]| part.iter().all(u8::is_ascii_digit);
    if start.is_empty() || !digits(start) || !digits(end) {
        return false;
    }
    if end.is_empty() {
        return true;
    }
    // compare the numbers without parsing them: without leading zeros, longer is larger
    let significant = |part: &[u8]| {
        let zeros = part.iter().take_while(|&&digit| digit == b'0').count();
        part[zeros..].to_vec()
    };
    let (start, end) = (significant(start), significant(end));
    (start.len(), &start) <= (end.len(), &end)
}

/// The serialized origin of `uri`'s URL, or `None` when the URI is a path alone: scheme and host
/// in lower case, the port only when it is not the scheme's default.
pub(crate) fn origin_of(uri: &Uri) -> Option<String> {
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    let host = uri.host()?.to_ascii_lowercase();
    let default = match scheme.as_str() {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        _ => None,
    };
    Some(match uri.port_u16() {
        Some(port) if Some(port) != default => format!("{scheme}://{host}:{port}"),
        _ => format!("{scheme}://{host}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safelisted(name: &'static str, value: &str) -> bool {
        is_safelisted(&HeaderName::from_static(name), value.as_bytes())
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            let value = HeaderValue::from_str(value).expect("test values are valid");
            map.append(HeaderName::from_static(name), value);
        }
        map
    }

    fn sent(method: &str, pairs: &[(&'static str, &str)], credentials: bool) -> Request<String> {
        let mut request = Request::builder().method(method).uri("/items");
        *request.headers_mut().expect("valid request") = headers(pairs);
        prepare(
            request.body(String::new()).expect("valid request"),
            credentials,
        )
        .expect("a script may send this")
    }

    #[test]
    fn only_three_content_types_are_safelisted() {
        for value in [
            "text/plain",
            "TEXT/PLAIN",
            "text/plain;charset=UTF-8",
            " multipart/form-data; boundary=x ",
            "application/x-www-form-urlencoded",
        ] {
            assert!(safelisted("content-type", value), "{value}");
        }
        for value in [
            "application/json",
            "text/plain2",
            "text /plain",
            "text/plain; charset=\"utf-8\"",
            "text",
            "",
        ] {
            assert!(!safelisted("content-type", value), "{value}");
        }
    }

    #[test]
    fn accept_and_languages_are_safelisted_by_their_bytes() {
        assert!(safelisted("accept", "application/json, text/*;q=0.8"));
        assert!(!safelisted("accept", "text/html (please)"));
        assert!(!safelisted("accept", "a{b}"));
        assert!(safelisted("accept-language", "fr-CH, fr;q=0.9, *;q=0.5"));
        assert!(safelisted("content-language", "de-DE"));
        assert!(!safelisted("content-language", "de_DE"));
        assert!(!safelisted("accept-language", "en/us"));
    }

    #[test]
    fn only_a_simple_range_is_safelisted() {
        for value in ["bytes=0-", "bytes=0-499", "bytes=500-500", "bytes=007-10"] {
            assert!(safelisted("range", value), "{value}");
        }
        for value in [
            "bytes=-500",
            "bytes=500-499",
            "bytes=0-1,5-6",
            "bytes = 0-",
            "Bytes=0-",
            "items=0-",
            "bytes=a-",
            "bytes=99999999999999999999999999999999999999999-1",
        ] {
            assert!(!safelisted("range", value), "{value}");
        }
    }

    #[test]
    fn other_names_and_long_values_are_never_safelisted() {
        assert!(!safelisted("x-api-key", "1"));
        assert!(!safelisted("authorization", "Bearer x"));
        assert!(safelisted("accept", &"a".repeat(128)));
        assert!(!safelisted("accept", &"a".repeat(129)));
    }

    #[test]
    fn unsafe_names_are_lowercase_sorted_and_once_each() {
        let request = headers(&[
            ("x-b", "1"),
            ("content-type", "application/json"),
            ("x-a", "1"),
            ("x-b", "2"),
            ("accept", "*/*"),
        ]);
        assert_eq!(unsafe_names(&request), ["content-type", "x-a", "x-b"]);
        let cookie = headers(&[("cookie", "session=1")]);
        assert!(
            unsafe_names(&cookie).is_empty(),
            "the browser's cookies need no preflight"
        );
    }

    #[test]
    fn safelisted_values_over_1024_bytes_together_all_need_a_preflight() {
        let long = "a".repeat(120);
        let nine: Vec<(&'static str, &str)> = (0..9).map(|_| ("accept", long.as_str())).collect();
        assert_eq!(unsafe_names(&headers(&nine)), ["accept"]);
        assert!(unsafe_names(&headers(&nine[..8])).is_empty());
    }

    #[test]
    fn forbidden_headers_are_dropped_silently_and_cookie_only_without_credentials() {
        let pairs = [
            ("cookie", "session=1"),
            ("host", "evil.example"),
            ("sec-fetch-site", "same-origin"),
            ("origin", "https://evil.example"),
            ("x-http-method-override", "TRACE"),
            ("x-method-override", "PUT"),
            ("x-api-key", "1"),
        ];
        let without = sent("GET", &pairs, false);
        let names: Vec<&str> = without.headers().keys().map(HeaderName::as_str).collect();
        assert_eq!(names, ["x-method-override", "x-api-key", "accept"]);
        let with = sent("GET", &pairs, true);
        assert_eq!(with.headers()[COOKIE], "session=1");
    }

    #[test]
    fn methods_are_normalized_as_browsers_do_and_forbidden_ones_refused() {
        assert_eq!(sent("get", &[], false).method(), Method::GET);
        assert_eq!(sent("delete", &[], false).method(), Method::DELETE);
        assert_eq!(sent("patch", &[], false).method().as_str(), "patch");
        assert_eq!(sent("PATCH", &[], false).method(), Method::PATCH);
        for forbidden in ["TRACE", "connect", "Track"] {
            let request = Request::builder().method(forbidden).body(String::new());
            let failure = prepare(request.expect("valid request"), false).unwrap_err();
            assert_eq!(failure.reason, Reason::ForbiddenMethod);
        }
    }

    #[test]
    fn a_get_with_a_body_is_refused() {
        let request = Request::get("/items")
            .body("x".to_owned())
            .expect("valid request");
        let failure = prepare(request, false).unwrap_err();
        assert_eq!(failure.reason, Reason::BodyWithGetOrHead);
        let post = Request::post("/items")
            .body("x".to_owned())
            .expect("valid request");
        assert!(prepare(post, false).is_ok());
    }

    #[test]
    fn accept_defaults_to_anything_and_a_script_may_set_its_own() {
        assert_eq!(sent("GET", &[], false).headers()[ACCEPT], "*/*");
        let json = sent("GET", &[("accept", "application/json")], false);
        assert_eq!(json.headers().get_all(ACCEPT).iter().count(), 1);
        assert_eq!(json.headers()[ACCEPT], "application/json");
    }

    #[test]
    fn values_lose_their_surrounding_whitespace() {
        let request = sent("GET", &[("x-api-key", " key\t")], false);
        assert_eq!(request.headers()["x-api-key"], "key");
    }

    #[test]
    fn an_absolute_uri_has_a_serialized_origin_and_a_path_has_none() {
        for (uri, origin) in [
            ("http://LocalHost:3000/a", Some("http://localhost:3000")),
            (
                "https://app.example.com:443/",
                Some("https://app.example.com"),
            ),
            ("http://127.0.0.1:80", Some("http://127.0.0.1")),
            ("/items?page=2", None),
        ] {
            let uri: Uri = uri.parse().expect("valid uri");
            assert_eq!(origin_of(&uri).as_deref(), origin);
        }
    }
}
