//! The policy of one `#[cors]` handler, as constant data.

use http::HeaderValue;

use crate::headers::Headers;
use crate::methods::Methods;
use crate::origin::Origins;

/// The CORS policy of one handler, built by `#[cors(...)]` as a `static` and never at run time.
///
/// Every header value that does not depend on the request is rendered at compile time, and the
/// allowed origins sit in a constant hash table, so answering a request allocates nothing. Get one
/// with `handler::policy()` beside any `#[cors]` handler, and a layer with `handler::layer()`;
/// a policy shared by several handlers is declared once with `cors_policy!`.
///
/// The fields are written by the expansion of `#[cors]` after `cors-rules` checked them; they are
/// not part of the public API.
#[derive(Debug)]
pub struct Policy {
    /// The allowed origins.
    #[doc(hidden)]
    pub origins: Origins,
    /// `credentials`.
    #[doc(hidden)]
    pub credentials: bool,
    /// The methods the policy answers for.
    #[doc(hidden)]
    pub methods: Methods,
    /// `Access-Control-Allow-Methods` of a granted preflight.
    #[doc(hidden)]
    pub allow_methods: HeaderValue,
    /// The allowed request headers.
    #[doc(hidden)]
    pub headers: Headers,
    /// `Access-Control-Allow-Headers` of a granted preflight.
    #[doc(hidden)]
    pub allow_headers: Option<HeaderValue>,
    /// `Access-Control-Expose-Headers` of a granted actual request.
    #[doc(hidden)]
    pub expose_headers: Option<HeaderValue>,
    /// `Access-Control-Max-Age` of a granted preflight.
    #[doc(hidden)]
    pub max_age: Option<HeaderValue>,
}

impl Policy {
    /// Whether credentials (cookies, HTTP authentication) are allowed
    /// ([`Access-Control-Allow-Credentials`](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Credentials)).
    #[must_use]
    pub const fn credentials(&self) -> bool {
        self.credentials
    }

    /// Whether every response of the route carries `Vary: Origin` because the answer depends on
    /// the request's origin: for every list of origins, never for `*`, which is the same for
    /// everyone.
    #[must_use]
    pub const fn varies_with_origin(&self) -> bool {
        !self.origins.is_any()
    }
}
