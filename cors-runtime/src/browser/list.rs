//! Reading the CORS response headers as Fetch does: one value got from every line of a name, and
//! the comma-separated lists of tokens (fetch `#extract-header-list-values`).

use cors_rules::token::is_tchar;
use http::{HeaderMap, HeaderName};

/// The value of `name` in `headers` (fetch `#concept-header-list-get`): its lines joined by
/// `, `, or `None` without any. Two `Access-Control-Allow-Origin` lines thus read as one value
/// that no origin equals.
pub(crate) fn get(headers: &HeaderMap, name: &HeaderName) -> Option<Vec<u8>> {
    let mut lines = headers.get_all(name).iter();
    let mut value = lines.next()?.as_bytes().to_vec();
    for line in lines {
        value.extend_from_slice(b", ");
        value.extend_from_slice(line.as_bytes());
    }
    Some(value)
}

/// The tokens listed in the `name` lines of `headers`, split on `,` and trimmed of spaces and
/// tabs, empty items skipped; no line is an empty list. `None` when an item is not a token
/// (`#method`, `#field-name`), which makes the whole header fail.
pub(crate) fn tokens<'h>(headers: &'h HeaderMap, name: &HeaderName) -> Option<Vec<&'h str>> {
    let mut items = Vec::new();
    for line in headers.get_all(name) {
        let line = line.to_str().ok()?;
        for item in line.split(',') {
            let item = item.trim_matches([' ', '\t']);
            if item.is_empty() {
                continue;
            }
            if !item.bytes().all(is_tchar) {
                return None;
            }
            items.push(item);
        }
    }
    Some(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use http::header::ACCESS_CONTROL_ALLOW_METHODS;

    fn lines(values: &[&'static [u8]]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            let value = HeaderValue::from_bytes(value).expect("test values are valid");
            headers.append(ACCESS_CONTROL_ALLOW_METHODS, value);
        }
        headers
    }

    #[test]
    fn several_lines_read_as_one_comma_joined_value() {
        let headers = lines(&[b"a", b"b"]);
        assert_eq!(
            get(&headers, &ACCESS_CONTROL_ALLOW_METHODS),
            Some(b"a, b".to_vec())
        );
        assert_eq!(get(&HeaderMap::new(), &ACCESS_CONTROL_ALLOW_METHODS), None);
    }

    #[test]
    fn lists_are_split_tolerantly_and_fail_on_a_non_token() {
        let headers = lines(&[b" GET ,\tPUT,,", b"patch"]);
        assert_eq!(
            tokens(&headers, &ACCESS_CONTROL_ALLOW_METHODS),
            Some(vec!["GET", "PUT", "patch"])
        );
        assert_eq!(
            tokens(&HeaderMap::new(), &ACCESS_CONTROL_ALLOW_METHODS),
            Some(vec![])
        );
        for bad in [&b"GET PUT"[..], b"GET;", b"caf\xc3\xa9"] {
            assert_eq!(tokens(&lines(&[bad]), &ACCESS_CONTROL_ALLOW_METHODS), None);
        }
    }
}
