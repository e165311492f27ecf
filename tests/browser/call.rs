//! What a page asks for, and the reasons engines give for refusing it.

use serde::Serialize;

use crate::engine::{Engine, Judge};
use crate::outside::sites::Site;
use crate::servers::Api;

/// A `fetch` call, as the runner page makes it.
#[derive(Debug, Serialize)]
pub(crate) struct Call {
    /// `init.method`.
    pub(crate) method: &'static str,
    /// The API's origin: plain HTTP unless the call goes [over HTTPS](Call::over_https).
    #[serde(skip)]
    pub(crate) api: Api,
    /// The path on the API, without a query: the query names the scenario.
    #[serde(skip)]
    pub(crate) path: &'static str,
    /// `init.headers`, as name and value pairs.
    pub(crate) headers: Vec<(&'static str, &'static str)>,
    /// `init.credentials`: `same-origin`, fetch's default, or `include`.
    pub(crate) credentials: &'static str,
    /// `init.body`.
    pub(crate) body: Option<&'static str>,
    /// The response headers the page tries to read.
    pub(crate) read: Vec<&'static str>,
    /// How many times the page makes the call, to the same URL, one after the other.
    #[serde(skip)]
    pub(crate) times: usize,
}

impl Call {
    /// A call with this method, without credentials, headers or body.
    pub(crate) fn new(method: &'static str, path: &'static str) -> Self {
        Self {
            method,
            api: Api::Plain,
            path,
            headers: Vec::new(),
            credentials: "same-origin",
            body: None,
            read: Vec::new(),
            times: 1,
        }
    }

    /// A `GET`.
    pub(crate) fn get(path: &'static str) -> Self {
        Self::new("GET", path)
    }

    /// A `POST` of `body` as `content_type`.
    pub(crate) fn post(path: &'static str, content_type: &'static str, body: &'static str) -> Self {
        Self::sending("POST", path, content_type, body)
    }

    /// A call with this method that sends `body` as `content_type`.
    pub(crate) fn sending(
        method: &'static str,
        path: &'static str,
        content_type: &'static str,
        body: &'static str,
    ) -> Self {
        Self {
            body: Some(body),
            ..Self::new(method, path).header("content-type", content_type)
        }
    }

    /// The same call with one more request header.
    pub(crate) fn header(mut self, name: &'static str, value: &'static str) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The same call to the API's HTTPS origin.
    pub(crate) fn over_https(mut self) -> Self {
        self.api = Api::Secure;
        self
    }

    /// The same call to one of the routers that answer outside their `#[cors]` layers.
    pub(crate) fn to(mut self, site: impl Into<Site>) -> Self {
        self.api = Api::Outside(site.into());
        self
    }

    /// The same call, made twice: the second can be answered from the preflight cache.
    pub(crate) fn twice(mut self) -> Self {
        self.times = 2;
        self
    }

    /// The same call with `credentials: "include"`.
    pub(crate) fn with_credentials(mut self) -> Self {
        self.credentials = "include";
        self
    }
}

/// Why an engine blocked a call: the cause, which each engine words its own way.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Reason {
    /// The response has no `Access-Control-Allow-Origin`.
    NoAllowOrigin,
    /// The preflight was refused with a bare `403`: the route does not allow the origin.
    PreflightRefused,
    /// The preflight got this status without CORS headers: something answered it before any
    /// policy could.
    PreflightFailed(u16),
    /// The preflight answered with the policy's headers, which do not list this request header.
    HeaderNotAllowed(&'static str),
    /// The preflight answered with the policy's methods, which do not list this one.
    MethodNotAllowed(&'static str),
    /// `Access-Control-Allow-Origin: *` answered a call with credentials.
    WildcardWithCredentials,
    /// A call with credentials got no `Access-Control-Allow-Credentials: true`.
    NoAllowCredentials,
}

impl Reason {
    /// What `judge`'s console says about the call, in part (what follows Chromium's
    /// `has been blocked by CORS policy: `, Firefox's `(Reason: `, WebKit's
    /// `CONSOLE SECURITY ERROR `). The model words its refusals as Chromium does.
    pub(crate) fn says(self, judge: Judge) -> String {
        match judge {
            Judge::Engine(Engine::Chromium) | Judge::Model => self.chromium_says(),
            Judge::Engine(Engine::Firefox) => self.firefox_says(),
            Judge::Engine(Engine::WebKit) => self.webkit_says(),
        }
    }

    /// Chromium's words, from `has been blocked by CORS policy: ` on.
    fn chromium_says(self) -> String {
        const NO_ALLOW_ORIGIN: &str =
            "No 'Access-Control-Allow-Origin' header is present on the requested resource.";
        match self {
            Self::NoAllowOrigin => NO_ALLOW_ORIGIN.to_owned(),
            // Chromium names the missing header before the status
            Self::PreflightRefused | Self::PreflightFailed(_) => format!(
                "Response to preflight request doesn't pass access control check: {NO_ALLOW_ORIGIN}"
            ),
            Self::HeaderNotAllowed(name) => format!(
                "Request header field {name} is not allowed by Access-Control-Allow-Headers in \
                 preflight response."
            ),
            Self::MethodNotAllowed(method) => format!(
                "Method {method} is not allowed by Access-Control-Allow-Methods in preflight \
                 response."
            ),
            Self::WildcardWithCredentials => "The value of the 'Access-Control-Allow-Origin' \
                 header in the response must not be the wildcard '*' when the request's \
                 credentials mode is 'include'."
                .to_owned(),
            Self::NoAllowCredentials => "The value of the 'Access-Control-Allow-Credentials' \
                 header in the response is '' which must be 'true' when the request's \
                 credentials mode is 'include'."
                .to_owned(),
        }
    }

    /// Firefox's words, from `(Reason: ` on.
    fn firefox_says(self) -> String {
        match self {
            Self::NoAllowOrigin => {
                "(Reason: CORS header ‘Access-Control-Allow-Origin’ missing).".to_owned()
            }
            Self::PreflightRefused => Self::PreflightFailed(403).firefox_says(),
            // Firefox names the preflight's status, the only sign that it was the preflight
            Self::PreflightFailed(status) => format!(
                "(Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: {status}."
            ),
            Self::HeaderNotAllowed(name) => format!(
                "(Reason: header ‘{name}’ is not allowed according to header \
                 ‘Access-Control-Allow-Headers’ from CORS preflight response)."
            ),
            Self::MethodNotAllowed(_) => {
                "(Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’)."
                    .to_owned()
            }
            Self::WildcardWithCredentials => "(Reason: Credential is not supported if the CORS \
                 header ‘Access-Control-Allow-Origin’ is ‘*’)."
                .to_owned(),
            Self::NoAllowCredentials => {
                "(Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’)."
                    .to_owned()
            }
        }
    }

    /// WebKit's words, from `CONSOLE SECURITY ERROR ` on, less the origin it starts some with.
    fn webkit_says(self) -> String {
        match self {
            // `Origin {origin} is not allowed ...`: the status is the response's own
            Self::NoAllowOrigin => {
                " is not allowed by Access-Control-Allow-Origin. Status code: ".to_owned()
            }
            // WebKit names the preflight, and its status
            Self::PreflightRefused => Self::PreflightFailed(403).webkit_says(),
            Self::PreflightFailed(status) => {
                format!("Preflight response is not successful. Status code: {status}")
            }
            Self::HeaderNotAllowed(name) => {
                format!(
                    "Request header field {name} is not allowed by Access-Control-Allow-Headers."
                )
            }
            Self::MethodNotAllowed(method) => {
                format!("Method {method} is not allowed by Access-Control-Allow-Methods.")
            }
            Self::WildcardWithCredentials => {
                "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true."
                    .to_owned()
            }
            Self::NoAllowCredentials => {
                "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\"."
                    .to_owned()
            }
        }
    }
}

/// The CORS error `judge` logged in `console` for a `fetch` of `url`, if it did: the part
/// [`Reason::says`] is compared with.
pub(crate) fn cors_error<'c>(judge: Judge, console: &'c str, url: &str) -> Option<&'c str> {
    let (start, from) = match judge {
        Judge::Engine(Engine::Chromium) | Judge::Model => (
            format!("Access to fetch at '{url}' from origin '"),
            "' has been blocked by CORS policy: ",
        ),
        // Firefox quotes some URLs and not others
        Judge::Engine(Engine::Firefox) => {
            let bare = format!("disallows reading the remote resource at {url}. ");
            let quoted = format!("disallows reading the remote resource at ‘{url}’. ");
            let start = if console.contains(&bare) {
                bare
            } else {
                quoted
            };
            (start, "")
        }
        Judge::Engine(Engine::WebKit) => return webkit_error(console, url),
    };
    let (_, rest) = console.split_once(&start)?;
    let (_, reason) = rest.split_once(from)?;
    let end = reason.find('\n').unwrap_or(reason.len());
    Some(&reason[..end])
}

/// The CORS error WebKit logged for a `fetch` of `url`: it names the URL on the line after the
/// reason, `CONSOLE JS ERROR Fetch API cannot load {url} due to access control checks.`
fn webkit_error<'c>(console: &'c str, url: &str) -> Option<&'c str> {
    let failed =
        format!("CONSOLE JS ERROR Fetch API cannot load {url} due to access control checks.");
    let (before, _) = console.split_once(&failed)?;
    before
        .lines()
        .next_back()?
        .strip_prefix("CONSOLE SECURITY ERROR ")
}
