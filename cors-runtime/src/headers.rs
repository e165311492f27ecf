//! The request headers a policy allows, and the parsing of `Access-Control-Request-Headers`.

use cors_rules::header::NON_WILDCARD_REQUEST;
use http::HeaderValue;
use http::header::ValueIter;

use crate::table::Table;

/// The request headers a policy allows.
#[derive(Debug)]
pub struct Headers {
    /// `*`: every name but `authorization` (fetch `#cors-non-wildcard-request-header-name`).
    pub any: bool,
    /// Listed names, lowercase, compared case-insensitively.
    pub names: Table<&'static str>,
}

impl Headers {
    /// The first name in the `Access-Control-Request-Headers` lines that is not allowed.
    ///
    /// Parsed tolerantly (fetch `#cors-unsafe-request-header-names` sends one lowercase,
    /// comma-joined line, but proxies may split it or add spaces): names are split on `,`, trimmed
    /// of spaces and tabs, and empty items are skipped. Work is linear in the input and nothing is
    /// allocated.
    pub(crate) fn first_refused<'r>(&self, lines: ValueIter<'r, HeaderValue>) -> Option<&'r [u8]> {
        lines
            .flat_map(|line| line.as_bytes().split(|&b| b == b','))
            .map(<[u8]>::trim_ascii)
            .filter(|name| !name.is_empty())
            .find(|name| !self.allows(name))
    }

    fn allows(&self, name: &[u8]) -> bool {
        self.names.find(name).is_some()
            || (self.any
                && is_token(name)
                && !name.eq_ignore_ascii_case(NON_WILDCARD_REQUEST.as_bytes()))
    }
}

fn is_token(name: &[u8]) -> bool {
    name.iter()
        .all(|&b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cors_rules::table::{Case, layout};
    use http::HeaderMap;
    use http::header::ACCESS_CONTROL_REQUEST_HEADERS;

    fn headers(any: bool, names: &'static [&'static str]) -> Headers {
        let slots = Vec::leak(layout(names, Case::Insensitive));
        Headers {
            any,
            names: Table {
                entries: names,
                slots,
                case: Case::Insensitive,
            },
        }
    }

    fn refused<'a>(policy: &Headers, request: &'a HeaderMap) -> Option<&'a [u8]> {
        policy.first_refused(request.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter())
    }

    fn request(lines: &[&'static str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for line in lines {
            map.append(
                ACCESS_CONTROL_REQUEST_HEADERS,
                HeaderValue::from_static(line),
            );
        }
        map
    }

    #[test]
    fn requested_headers_are_parsed_tolerantly() {
        let policy = headers(false, &["content-type", "x-api-key"]);
        for lines in [
            &["content-type,x-api-key"][..],
            &[" Content-Type , X-API-KEY ,, "],
            &["content-type", "x-api-key"],
            &["", ","],
        ] {
            assert_eq!(refused(&policy, &request(lines)), None, "{lines:?}");
        }
        assert_eq!(
            refused(&policy, &request(&["content-type, x-other"])),
            Some(&b"x-other"[..])
        );
    }

    #[test]
    fn a_wildcard_does_not_cover_authorization() {
        let policy = headers(true, &[]);
        assert_eq!(
            refused(&policy, &request(&["x-anything,content-type"])),
            None
        );
        assert_eq!(
            refused(&policy, &request(&["x-a,Authorization"])),
            Some(&b"Authorization"[..])
        );
        assert_eq!(refused(&policy, &request(&["x a"])), Some(&b"x a"[..]));
        let policy = headers(true, &["authorization"]);
        assert_eq!(refused(&policy, &request(&["authorization"])), None);
    }
}
