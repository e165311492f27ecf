//! Why a call failed, as a script learns it and as an engine's console says it.

use std::error::Error;
use std::fmt;

/// An error from the service or from a response body, boxed.
pub(crate) type BoxError = Box<dyn Error + Send + Sync>;

/// Why a call failed: a machine-checkable verdict, one per message an engine logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// `CONNECT`, `TRACE` or `TRACK`: `fetch` throws before sending anything
    /// (fetch `#forbidden-method`).
    ForbiddenMethod,
    /// A body on a `GET` or `HEAD`: `fetch` throws before sending anything.
    BodyWithGetOrHead,
    /// The service or the response body failed: no answer to check, `TypeError: Failed to fetch`.
    Network,
    /// No `Access-Control-Allow-Origin` in the answer.
    NoAllowOrigin,
    /// `Access-Control-Allow-Origin` holds several values, or came in several lines.
    MultipleAllowOrigin,
    /// `Access-Control-Allow-Origin` is not an origin.
    InvalidAllowOrigin,
    /// `Access-Control-Allow-Origin` names another origin than the page's, byte for byte.
    AllowOriginMismatch,
    /// `Access-Control-Allow-Origin: *` answered a call with credentials.
    WildcardOriginWithCredentials,
    /// A call with credentials got no `Access-Control-Allow-Credentials: true`.
    AllowCredentialsNotTrue,
    /// The preflight was answered with a status outside `200..=299`.
    PreflightNotOk,
    /// The preflight was answered with a redirect, which is never followed.
    PreflightRedirect,
    /// `Access-Control-Allow-Methods` is not a list of methods.
    InvalidAllowMethods,
    /// `Access-Control-Allow-Headers` is not a list of header names.
    InvalidAllowHeaders,
    /// The preflight's answer does not allow the call's method.
    MethodNotAllowed,
    /// The preflight's answer does not allow one of the call's headers.
    HeaderNotAllowed,
}

impl Reason {
    /// Whether this is a CORS error, which engines report as "blocked by CORS policy", rather than
    /// a call `fetch` refused to make or an answer that never came.
    #[must_use]
    pub const fn is_cors(self) -> bool {
        !matches!(
            self,
            Self::ForbiddenMethod | Self::BodyWithGetOrHead | Self::Network
        )
    }

    /// Whether Chromium reports this failure of a preflight after "Response to preflight request
    /// doesn't pass access control check: ".
    const fn fails_access_check(self) -> bool {
        !matches!(
            self,
            Self::InvalidAllowMethods
                | Self::InvalidAllowHeaders
                | Self::MethodNotAllowed
                | Self::HeaderNotAllowed
        )
    }
}

/// A failed check, before it is known for which call.
#[derive(Debug)]
pub(crate) struct Failure {
    /// Why.
    pub(crate) reason: Reason,
    /// The value, method or header name the message quotes, if any.
    pub(crate) detail: String,
}

impl Failure {
    /// A failure quoting `detail`, read as UTF-8 with replacement characters.
    pub(crate) fn new(reason: Reason, detail: &[u8]) -> Self {
        Self {
            reason,
            detail: String::from_utf8_lossy(detail).into_owned(),
        }
    }
}

/// A call the browser refused to make or whose answer it kept from the script.
///
/// [`Display`](fmt::Display) says why in Chromium's words, as its console logs it:
///
/// ```text
/// Access to fetch at '/items' from origin 'http://localhost:3000' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.
/// ```
///
/// and [`reason`](Blocked::reason) says it for a test to match on.
#[derive(Debug)]
pub struct Blocked {
    reason: Reason,
    detail: String,
    preflight: bool,
    url: String,
    origin: String,
    source: Option<BoxError>,
}

impl Blocked {
    /// The call to `url` from `origin` failed for `failure`, in its preflight when `preflight`.
    pub(crate) fn new(failure: Failure, preflight: bool, url: String, origin: String) -> Self {
        Self {
            reason: failure.reason,
            detail: failure.detail,
            preflight,
            url,
            origin,
            source: None,
        }
    }

    /// The call to `url` from `origin` got no answer: the service or the body failed.
    pub(crate) fn network(error: BoxError, preflight: bool, url: String, origin: String) -> Self {
        let failure = Failure::new(Reason::Network, error.to_string().as_bytes());
        Self {
            source: Some(error),
            ..Self::new(failure, preflight, url, origin)
        }
    }

    /// Why the call failed.
    #[must_use]
    pub const fn reason(&self) -> Reason {
        self.reason
    }

    /// Whether it was the preflight that failed, so the call itself was never sent.
    #[must_use]
    pub const fn in_preflight(&self) -> bool {
        self.preflight
    }

    fn write_cause(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let detail = &self.detail;
        match self.reason {
            Reason::NoAllowOrigin if self.preflight => f.write_str(
                "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            ),
            Reason::NoAllowOrigin => f.write_str(
                "No 'Access-Control-Allow-Origin' header is present on the requested resource. \
                 If an opaque response serves your needs, set the request's mode to 'no-cors' to \
                 fetch the resource with CORS disabled.",
            ),
            Reason::MultipleAllowOrigin => write!(
                f,
                "The 'Access-Control-Allow-Origin' header contains multiple values '{detail}', \
                 but only one is allowed."
            ),
            Reason::InvalidAllowOrigin => write!(
                f,
                "The 'Access-Control-Allow-Origin' header contains the invalid value '{detail}'."
            ),
            Reason::AllowOriginMismatch => write!(
                f,
                "The 'Access-Control-Allow-Origin' header has a value '{detail}' that is not \
                 equal to the supplied origin."
            ),
            Reason::WildcardOriginWithCredentials => f.write_str(
                "The value of the 'Access-Control-Allow-Origin' header in the response must not \
                 be the wildcard '*' when the request's credentials mode is 'include'.",
            ),
            Reason::AllowCredentialsNotTrue => write!(
                f,
                "The value of the 'Access-Control-Allow-Credentials' header in the response is \
                 '{detail}' which must be 'true' when the request's credentials mode is 'include'."
            ),
            Reason::PreflightNotOk => f.write_str("It does not have HTTP ok status."),
            Reason::PreflightRedirect => {
                f.write_str("Redirect is not allowed for a preflight request.")
            }
            Reason::InvalidAllowMethods => f.write_str(
                "Cannot parse Access-Control-Allow-Methods response header field in preflight \
                 response.",
            ),
            Reason::InvalidAllowHeaders => f.write_str(
                "Cannot parse Access-Control-Allow-Headers response header field in preflight \
                 response.",
            ),
            Reason::MethodNotAllowed => write!(
                f,
                "Method {detail} is not allowed by Access-Control-Allow-Methods in preflight \
                 response."
            ),
            Reason::HeaderNotAllowed => write!(
                f,
                "Request header field {detail} is not allowed by Access-Control-Allow-Headers in \
                 preflight response."
            ),
            Reason::ForbiddenMethod | Reason::BodyWithGetOrHead | Reason::Network => Ok(()),
        }
    }
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let detail = &self.detail;
        match self.reason {
            Reason::ForbiddenMethod => write!(
                f,
                "TypeError: Failed to execute 'fetch' on 'Window': '{detail}' HTTP method is \
                 unsupported."
            ),
            Reason::BodyWithGetOrHead => f.write_str(
                "TypeError: Failed to execute 'fetch' on 'Window': Request with GET/HEAD method \
                 cannot have body.",
            ),
            Reason::Network => write!(f, "TypeError: Failed to fetch ({detail})"),
            reason => {
                write!(
                    f,
                    "Access to fetch at '{}' from origin '{}' has been blocked by CORS policy: ",
                    self.url, self.origin
                )?;
                if self.preflight && reason.fails_access_check() {
                    f.write_str(
                        "Response to preflight request doesn't pass access control check: ",
                    )?;
                }
                self.write_cause(f)
            }
        }
    }
}

impl Error for Blocked {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source
            .as_deref()
            .map(|error| error as &(dyn Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocked(reason: Reason, detail: &str, preflight: bool) -> String {
        let failure = Failure::new(reason, detail.as_bytes());
        let url = "http://127.0.0.1:8000/items".to_owned();
        Blocked::new(failure, preflight, url, "http://localhost:3000".to_owned()).to_string()
    }

    #[test]
    fn a_preflight_without_allow_origin_is_reported_as_chromium_does() {
        assert_eq!(
            blocked(Reason::NoAllowOrigin, "", true),
            "Access to fetch at 'http://127.0.0.1:8000/items' from origin 'http://localhost:3000' \
             has been blocked by CORS policy: Response to preflight request doesn't pass access \
             control check: No 'Access-Control-Allow-Origin' header is present on the requested \
             resource."
        );
    }

    #[test]
    fn an_actual_request_without_allow_origin_suggests_no_cors() {
        assert!(blocked(Reason::NoAllowOrigin, "", false).ends_with(
            "has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present \
             on the requested resource. If an opaque response serves your needs, set the \
             request's mode to 'no-cors' to fetch the resource with CORS disabled."
        ));
    }

    #[test]
    fn refused_methods_and_headers_are_named_without_the_access_check_preamble() {
        let method = blocked(Reason::MethodNotAllowed, "PUT", true);
        assert!(method.ends_with(
            "blocked by CORS policy: Method PUT is not allowed by Access-Control-Allow-Methods \
             in preflight response."
        ));
        let header = blocked(Reason::HeaderNotAllowed, "x-debug", true);
        assert!(header.ends_with(
            "blocked by CORS policy: Request header field x-debug is not allowed by \
             Access-Control-Allow-Headers in preflight response."
        ));
    }

    #[test]
    fn calls_fetch_refuses_to_make_are_type_errors_not_cors_errors() {
        assert_eq!(
            blocked(Reason::ForbiddenMethod, "TRACE", false),
            "TypeError: Failed to execute 'fetch' on 'Window': 'TRACE' HTTP method is unsupported."
        );
        assert!(!Reason::ForbiddenMethod.is_cors());
        assert!(!Reason::Network.is_cors());
        assert!(Reason::HeaderNotAllowed.is_cors());
    }
}
