//! `Vary: Origin`: when a response carries it, and how it is added, in one place.

use http::header::VARY;
use http::{HeaderMap, HeaderValue};

use crate::Policy;

static ORIGIN: HeaderValue = HeaderValue::from_static("origin");

impl Policy {
    /// Whether every response of the route carries `Vary: Origin` because the answer depends on
    /// the request's origin: for every list of origins, never for `*`, which is the same for
    /// everyone, with or without `Origin` (fetch `#cors-protocol-and-http-caches`).
    #[must_use]
    pub const fn varies_with_origin(&self) -> bool {
        !self.origins.is_any()
    }
}

/// Says, if `policy` varies with the origin, that the handler's response does, in `headers`.
pub(crate) fn finish(policy: &Policy, headers: &mut HeaderMap) {
    if policy.varies_with_origin() {
        add_origin(headers);
    }
}

/// Says, if `policy` varies with the origin, that a response this layer makes does, in `headers`
/// that hold no `Vary` yet.
pub(crate) fn add_to_new(policy: &Policy, headers: &mut HeaderMap) {
    if policy.varies_with_origin() {
        headers.append(VARY, ORIGIN.clone());
    }
}

/// Makes sure `headers` say the response varies with `Origin`.
///
/// A `Vary` that already names `Origin` (in any case) or is `*` is left alone; otherwise one more
/// `Vary: origin` line is appended, so the handler's own `Vary` is kept and nothing is allocated.
fn add_origin(headers: &mut HeaderMap) {
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
