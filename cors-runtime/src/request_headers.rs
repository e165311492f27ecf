//! The request headers a policy allows, and the parsing of `Access-Control-Request-Headers`.

use cors_rules::header::NON_WILDCARD_REQUEST;
use cors_rules::table::{Case, Table};
use cors_rules::token::is_tchar;
use http::HeaderValue;
use http::header::ValueIter;

use crate::Refusal;

/// The request headers a policy allows.
#[derive(Debug)]
pub(crate) struct RequestHeaders {
    /// `*`: every name but `authorization` (fetch `#cors-non-wildcard-request-header-name`);
    /// with credentials, a preflight gets its requested names echoed.
    pub(crate) any: bool,
    /// Listed names, lowercase, compared case-insensitively.
    names: Table<&'static str>,
}

/// The most names a preflight may ask for under `*`; a browser lists each header of the request
/// once, and servers refuse requests with so many headers long before.
const MAX_UNDER_WILDCARD: usize = 128;

impl RequestHeaders {
    /// The headers `#[cors]` wrote out: `names` with the `slots` that
    /// [`cors_rules::table::layout`] gave for them.
    pub(crate) const fn laid_out(
        any: bool,
        names: &'static [&'static str],
        slots: &'static [u16],
    ) -> Self {
        Self {
            any,
            names: Table::laid_out(names, slots, Case::Insensitive),
        }
    }

    /// `*` first when allowed, then the listed names.
    pub(crate) fn listed(&self) -> Vec<String> {
        let star = self.any.then(|| "*".to_owned());
        star.into_iter()
            .chain(self.names.entries().iter().map(|name| (*name).to_owned()))
            .collect()
    }

    /// Checks the names in the `Access-Control-Request-Headers` lines.
    ///
    /// Parsed tolerantly (fetch `#cors-unsafe-request-header-names` sends one lowercase,
    /// comma-joined line, but proxies may split it or add spaces): names are split on `,`, trimmed
    /// of spaces and tabs, and empty items are skipped. A browser names each header once, so more
    /// names than the policy allows are refused without looking at the rest: work is bounded by
    /// the policy, not by the input, and nothing is allocated.
    pub(crate) fn check<'r>(&self, lines: ValueIter<'r, HeaderValue>) -> Result<(), Refusal<'r>> {
        let most = if self.any {
            MAX_UNDER_WILDCARD
        } else {
            self.names.entries().len()
        };
        let mut left = most;
        for line in lines {
            left = self.check_line(line.as_bytes(), left)?;
        }
        Ok(())
    }

    /// Checks the names in one line, `left` more being allowed; says how many more are.
    #[inline]
    fn check_line<'r>(&self, bytes: &'r [u8], mut left: usize) -> Result<usize, Refusal<'r>> {
        let mut at = 0;
        while at < bytes.len() {
            // one name: from the next byte that is no separator to the next `,`
            if matches!(bytes[at], b',' | b' ' | b'\t') {
                at += 1;
                continue;
            }
            let start = at;
            // as browsers write a listed name: lowercase, then `,` or the end of the line
            let listed = self
                .names
                .find_at_start(&bytes[start..], |next| next == b',');
            if let Some(name) = listed {
                at = start + name.len();
            } else {
                at = comma(bytes, start);
                let name = bytes[start..at].trim_ascii_end();
                if !self.allows(name) {
                    return Err(Refusal::HeaderNotAllowed(name));
                }
            }
            left = left.checked_sub(1).ok_or(Refusal::TooManyHeaders)?;
        }
        Ok(left)
    }

    fn allows(&self, name: &[u8]) -> bool {
        if self.any && !name.eq_ignore_ascii_case(NON_WILDCARD_REQUEST.as_bytes()) {
            return name.iter().all(|&b| is_tchar(b));
        }
        self.names.find(name).is_some()
    }
}

/// The index of the first `,` in `bytes` from `start` on, or their length: eight bytes at a time,
/// since a requested name is a dozen bytes long.
fn comma(bytes: &[u8], start: usize) -> usize {
    const COMMAS: u64 = u64::from_le_bytes([b','; 8]);
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = start;
    while let Some(word) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(word.try_into().expect("eight bytes")) ^ COMMAS;
        // the lowest byte of `word` that is zero, which was a comma, sets its high bit first
        let found = word.wrapping_sub(LOW) & !word & HIGH;
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|&b| b == b',')
        .map_or(bytes.len(), |offset| at + offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cors_rules::table::layout;
    use http::HeaderMap;
    use http::header::ACCESS_CONTROL_REQUEST_HEADERS;

    fn headers(any: bool, names: &'static [&'static str]) -> RequestHeaders {
        RequestHeaders::laid_out(any, names, Vec::leak(layout(names, Case::Insensitive)))
    }

    fn refused<'a>(policy: &RequestHeaders, request: &'a HeaderMap) -> Option<&'a [u8]> {
        match policy.check(request.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter()) {
            Ok(()) => None,
            Err(Refusal::HeaderNotAllowed(name)) => Some(name),
            Err(other) => panic!("{other:?}"),
        }
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
    fn the_next_comma_is_found_wherever_it_sits() {
        let line = b"content-type,x-api-key,,a-very-long-header-name,x";
        for start in 0..=line.len() {
            let naive = line[start..]
                .iter()
                .position(|&b| b == b',')
                .map_or(line.len(), |offset| start + offset);
            assert_eq!(comma(line, start), naive, "from {start}");
        }
        assert_eq!(comma(b"\xac,", 0), 1);
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

    #[test]
    fn more_names_than_the_policy_allows_are_refused_before_the_rest_is_read() {
        let policy = headers(false, &["content-type", "x-api-key"]);
        let repeated = request(&["content-type,x-api-key,content-type,x-other"]);
        let checked = policy.check(repeated.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter());
        assert_eq!(checked, Err(Refusal::TooManyHeaders));
        let wildcard = headers(true, &[]);
        let names: Vec<String> = (0..=MAX_UNDER_WILDCARD).map(|i| format!("x-{i}")).collect();
        let mut many = HeaderMap::new();
        many.insert(
            ACCESS_CONTROL_REQUEST_HEADERS,
            HeaderValue::from_str(&names.join(",")).unwrap(),
        );
        let checked = wildcard.check(many.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter());
        assert_eq!(checked, Err(Refusal::TooManyHeaders));
    }

    /// What [`RequestHeaders::check`] answers, written the slow way: split, trim, compare.
    fn naive(allowed: &[&str], line: &str) -> bool {
        let names: Vec<&str> = line
            .split(',')
            .map(|name| name.trim_matches([' ', '\t']))
            .filter(|name| !name.is_empty())
            .collect();
        names.len() <= allowed.len()
            && names
                .iter()
                .all(|name| allowed.iter().any(|a| a.eq_ignore_ascii_case(name)))
    }

    proptest::proptest! {
        #[test]
        fn a_line_is_checked_as_splitting_and_trimming_it_would(
            parts in proptest::collection::vec(
                proptest::sample::select(&[
                    "content-type", "x-api-key", "Content-Type", "x-api", "x-api-keys",
                    "content-typex-api-key", ",", " ", "\t", "authorization",
                ][..]),
                0..8,
            )
        ) {
            const ALLOWED: &[&str] = &["content-type", "x-api-key"];
            let policy = headers(false, ALLOWED);
            let line = parts.concat();
            let request = request(&[String::leak(line.clone())]);
            let checked = policy.check(request.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter());
            proptest::prop_assert_eq!(checked.is_ok(), naive(ALLOWED, &line), "{:?}", line);
        }
    }
}
