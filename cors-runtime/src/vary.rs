//! `Vary`: when a response carries `Origin` and, for preflights answered by echoing, the
//! `Access-Control-Request-*` headers, and how they are added, in one place.

use http::HeaderMap;
use http::header::VARY;

use crate::Policy;

use values::{ORIGIN, ORIGIN_AND_HEADERS, ORIGIN_AND_METHOD, ORIGIN_METHOD_AND_HEADERS};

/// The values of `Vary` a layer sends.
#[allow(
    clippy::declare_interior_mutable_const,
    reason = "constants, not statics: each use is made on the spot, where cloning a static calls through the bytes' vtable"
)]
mod values {
    use http::HeaderValue;

    pub(super) const ORIGIN: HeaderValue = HeaderValue::from_static("origin");
    pub(super) const ORIGIN_AND_METHOD: HeaderValue =
        HeaderValue::from_static("origin, access-control-request-method");
    pub(super) const ORIGIN_AND_HEADERS: HeaderValue =
        HeaderValue::from_static("origin, access-control-request-headers");
    pub(super) const ORIGIN_METHOD_AND_HEADERS: HeaderValue = HeaderValue::from_static(
        "origin, access-control-request-method, access-control-request-headers",
    );
}

impl Policy {
    /// Whether every response of the route carries `Vary: Origin` because the answer depends on
    /// the request's origin: for every list of origins, never for `*`, which is the same for
    /// everyone, with or without `Origin` (fetch `#cors-protocol-and-http-caches`).
    #[must_use]
    pub const fn varies_with_origin(&self) -> bool {
        !self.origins.is_any()
    }
}

/// Says, if `policy` varies with the origin, that the handler's response does, in `headers`,
/// which `carried` a `Vary` already or not.
#[inline]
pub(crate) fn finish(policy: &Policy, carried: bool, headers: &mut HeaderMap) {
    if policy.varies_with_origin() {
        add_origin(headers, carried);
    }
}

/// Says what a preflight answer this layer makes varies with, in `headers` that hold no `Vary`
/// yet: `Origin` if `policy` varies with the origin, and each `Access-Control-Request-*` header
/// it echoes (an echoing policy has credentials, so it always varies with the origin).
pub(crate) fn add_to_new(policy: &Policy, headers: &mut HeaderMap) {
    let value = match (policy.echoes_method(), policy.echoes_headers()) {
        (false, false) if policy.varies_with_origin() => ORIGIN,
        (false, false) => return,
        (true, false) => ORIGIN_AND_METHOD,
        (false, true) => ORIGIN_AND_HEADERS,
        (true, true) => ORIGIN_METHOD_AND_HEADERS,
    };
    headers.append(VARY, value);
}

/// Makes sure `headers` say the response varies with `Origin`.
///
/// A `Vary` that already names `Origin` (in any case) or is `*` is left alone; otherwise one more
/// `Vary: origin` line is appended, so the handler's own `Vary` is kept and nothing is allocated.
/// Most handlers send no `Vary`: only when `headers` `carried` one are its lines read.
fn add_origin(headers: &mut HeaderMap, carried: bool) {
    if carried
        && headers
            .get_all(VARY)
            .iter()
            .any(|value| covers_origin(value.as_bytes()))
    {
        return;
    }
    headers.append(VARY, ORIGIN);
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
    use http::HeaderValue;

    fn vary_after(existing: &[&'static str]) -> Vec<String> {
        let mut headers = HeaderMap::new();
        for value in existing {
            headers.append(VARY, HeaderValue::from_static(value));
        }
        for _ in 0..2 {
            let carried = headers.contains_key(VARY);
            add_origin(&mut headers, carried);
        }
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
