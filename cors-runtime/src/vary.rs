//! `Vary: Origin`, appended to what the handler sent and never duplicated.

use http::header::VARY;
use http::{HeaderMap, HeaderValue};

static ORIGIN: HeaderValue = HeaderValue::from_static("origin");

/// Makes sure `headers` say the response varies with `Origin`.
///
/// A `Vary` that already names `Origin` (in any case) or is `*` is left alone; otherwise one more
/// `Vary: origin` line is appended, so the handler's own `Vary` is kept and nothing is allocated.
pub(crate) fn add_origin(headers: &mut HeaderMap) {
    // most handlers send no `Vary`: `contains_key` is the cheapest way to learn it
    if headers.contains_key(VARY)
        && headers
            .get_all(VARY)
            .iter()
            .any(|value| covers_origin(value.as_bytes()))
    {
        return;
    }
    headers.append(VARY, ORIGIN.clone());
}

/// Says the response varies with `Origin` in `headers` that hold no `Vary` yet: those of a
/// response this layer makes itself.
pub(crate) fn add_origin_to_new(headers: &mut HeaderMap) {
    headers.append(VARY, ORIGIN.clone());
}

fn covers_origin(value: &[u8]) -> bool {
    value
        .split(|&b| b == b',')
        .map(<[u8]>::trim_ascii)
        .any(|name| name == b"*" || name.eq_ignore_ascii_case(b"origin"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vary_after(existing: &[&'static str]) -> Vec<String> {
        let mut headers = HeaderMap::new();
        for value in existing {
            headers.append(VARY, HeaderValue::from_static(value));
        }
        add_origin(&mut headers);
        add_origin(&mut headers);
        headers
            .get_all(VARY)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn origin_is_appended_once_after_the_handlers_vary() {
        assert_eq!(vary_after(&[]), ["origin"]);
        assert_eq!(
            vary_after(&["accept-encoding"]),
            ["accept-encoding", "origin"]
        );
    }

    #[test]
    fn a_vary_that_already_covers_origin_is_left_alone() {
        assert_eq!(vary_after(&["Accept, Origin"]), ["Accept, Origin"]);
        assert_eq!(vary_after(&["*"]), ["*"]);
        assert_eq!(vary_after(&["accept", "ORIGIN"]), ["accept", "ORIGIN"]);
    }
}
