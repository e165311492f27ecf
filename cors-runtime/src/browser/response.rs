//! What a script may read of an answer: the headers a CORS filtered response keeps (fetch
//! `#concept-filtered-response-cors`), or all but `Set-Cookie` from its own origin.

use cors_rules::header::is_forbidden_response;
use http::header::{ACCESS_CONTROL_EXPOSE_HEADERS, CONTENT_LENGTH};
use http::{HeaderMap, HeaderName, StatusCode};

use super::list;

/// Response headers every script may read (fetch `#cors-safelisted-response-header-name`).
const SAFELISTED: [HeaderName; 7] = [
    http::header::CACHE_CONTROL,
    http::header::CONTENT_LANGUAGE,
    CONTENT_LENGTH,
    http::header::CONTENT_TYPE,
    http::header::EXPIRES,
    http::header::LAST_MODIFIED,
    http::header::PRAGMA,
];

/// Keeps the headers a cross-origin script may read: the safelisted ones and those in
/// `Access-Control-Expose-Headers`, where `*` means every name only without credentials.
/// `Set-Cookie` is never readable.
pub(crate) fn cors_filtered(headers: HeaderMap, include: bool) -> HeaderMap {
    // an unparsable list exposes nothing (fetch #main-fetch, step 14)
    let exposed: Vec<String> = list::tokens(&headers, &ACCESS_CONTROL_EXPOSE_HEADERS)
        .unwrap_or_default()
        .into_iter()
        .map(str::to_ascii_lowercase)
        .collect();
    let every = !include && exposed.iter().any(|name| name == "*");
    keep(headers, |name| {
        SAFELISTED.contains(name) || every || exposed.iter().any(|listed| listed == name.as_str())
    })
}

/// Keeps the headers a script of the answer's own origin may read: all but `Set-Cookie` and
/// `Set-Cookie2` (fetch `#concept-filtered-response-basic`).
pub(crate) fn basic_filtered(headers: HeaderMap) -> HeaderMap {
    keep(headers, |_| true)
}

/// Drops what no server sends with an answer of this status, so no browser sees it: a `204` has
/// no `Content-Length` (RFC 9110 `#field.content-length`), which a service may set (axum does)
/// and the HTTP server drops (hyper does).
pub(crate) fn as_sent(status: StatusCode, headers: &mut HeaderMap) {
    if status == StatusCode::NO_CONTENT {
        headers.remove(CONTENT_LENGTH);
    }
}

fn keep(headers: HeaderMap, readable: impl Fn(&HeaderName) -> bool) -> HeaderMap {
    let mut kept = HeaderMap::new();
    let mut name = None;
    for (next, value) in headers {
        // `into_iter` names only the first of several lines with one name
        name = next.or(name);
        if let Some(name) = &name
            && !is_forbidden_response(name.as_str())
            && readable(name)
        {
            kept.append(name, value);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn answer(expose: Option<&'static str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("content-type", "application/json"),
            ("cache-control", "no-store"),
            ("x-request-id", "7"),
            ("x-total", "10"),
            ("x-total", "11"),
            ("set-cookie", "session=1"),
            ("access-control-allow-origin", "*"),
        ] {
            headers.append(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        if let Some(expose) = expose {
            headers.insert(
                ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static(expose),
            );
        }
        headers
    }

    fn readable(headers: &HeaderMap) -> Vec<&str> {
        let mut names: Vec<&str> = headers.keys().map(HeaderName::as_str).collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn only_safelisted_headers_are_readable_without_expose() {
        let filtered = cors_filtered(answer(None), false);
        assert_eq!(readable(&filtered), ["cache-control", "content-type"]);
    }

    #[test]
    fn exposed_headers_become_readable_in_any_case_with_all_their_lines() {
        let filtered = cors_filtered(answer(Some("X-Total, set-cookie")), true);
        assert_eq!(
            readable(&filtered),
            ["cache-control", "content-type", "x-total"]
        );
        assert_eq!(filtered.get_all("x-total").iter().count(), 2);
    }

    #[test]
    fn a_wildcard_exposes_every_header_but_set_cookie_only_without_credentials() {
        let every = cors_filtered(answer(Some("*")), false);
        assert_eq!(
            readable(&every),
            [
                "access-control-allow-origin",
                "access-control-expose-headers",
                "cache-control",
                "content-type",
                "x-request-id",
                "x-total"
            ]
        );
        let literal = cors_filtered(answer(Some("*")), true);
        assert_eq!(readable(&literal), ["cache-control", "content-type"]);
    }

    #[test]
    fn an_unparsable_expose_list_exposes_nothing() {
        let filtered = cors_filtered(answer(Some("x-total x-request-id")), false);
        assert_eq!(readable(&filtered), ["cache-control", "content-type"]);
    }

    #[test]
    fn a_204_arrives_without_content_length_and_other_answers_keep_theirs() {
        let mut headers = answer(None);
        headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
        as_sent(StatusCode::OK, &mut headers);
        assert_eq!(headers[CONTENT_LENGTH], "0");
        as_sent(StatusCode::NO_CONTENT, &mut headers);
        assert!(!headers.contains_key(CONTENT_LENGTH));
        assert!(!cors_filtered(headers, false).contains_key(CONTENT_LENGTH));
    }

    #[test]
    fn the_own_origin_reads_everything_but_set_cookie() {
        let filtered = basic_filtered(answer(None));
        assert!(!filtered.contains_key("set-cookie"));
        assert_eq!(filtered.len(), 6);
    }
}
