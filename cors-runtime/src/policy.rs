//! The policy of one handler, and the one builder every policy goes through.

use cors_rules::config::MAX_AGE_LIMIT;
use cors_rules::table::slot_count;
use http::HeaderValue;

use crate::methods::Methods;
use crate::origin::AllowedOrigins;
use crate::request_headers::RequestHeaders;

/// The CORS policy of one handler: which origins may call it, and what they may send and read.
///
/// `#[cors(...)]` builds it as a `static` when the crate compiles or, with `origins = env("NAME")`,
/// once at startup; never per request. Every header value that does not depend on the request is
/// rendered before the first request, and the allowed origins and header names sit in tables, so
/// answering a request allocates nothing. Get one with `handler::policy()` beside any `#[cors]`
/// handler, and a layer with `handler::layer()`; a policy shared by several handlers is declared
/// once with `cors_policy!`.
///
/// The fields are private, and the one constructor, which the expansion of `#[cors]` calls,
/// checks the rules it is given during constant evaluation: a policy written by hand that breaks
/// a rule (`*` with credentials) does not compile.
#[derive(Debug)]
pub struct Policy {
    /// The allowed origins.
    pub(crate) origins: AllowedOrigins,
    /// Everything else.
    pub(crate) rules: Rules,
    /// `Access-Control-Allow-Methods` of a granted preflight.
    pub(crate) allow_methods: HeaderValue,
    /// `Access-Control-Allow-Headers` of a granted preflight.
    pub(crate) allow_headers: Option<HeaderValue>,
    /// `Access-Control-Expose-Headers` of a granted actual request.
    pub(crate) expose_headers: Option<HeaderValue>,
    /// `Access-Control-Max-Age` of a granted preflight.
    pub(crate) max_age: Option<HeaderValue>,
}

/// Everything of a policy but its origins, as `cors-rules` checked and rendered it: constant data
/// that `#[cors]` writes out.
#[derive(Debug)]
pub struct Rules {
    /// `credentials`.
    pub(crate) credentials: bool,
    /// `csrf`: cross-origin writes and WebSocket handshakes are refused.
    pub(crate) csrf: bool,
    /// The methods the policy answers for.
    pub(crate) methods: Methods,
    /// `Access-Control-Allow-Methods`, rendered.
    allow_methods: &'static str,
    /// The allowed request headers.
    pub(crate) headers: RequestHeaders,
    /// `Access-Control-Allow-Headers`, rendered.
    allow_headers: Option<&'static str>,
    /// The exposed response headers, `*` first when listed.
    pub(crate) expose: &'static [&'static str],
    /// `Access-Control-Expose-Headers`, rendered.
    expose_headers: Option<&'static str>,
    /// `max_age` in seconds.
    pub(crate) max_age: Option<u32>,
    /// `Access-Control-Max-Age`, rendered.
    max_age_text: Option<&'static str>,
}

impl Rules {
    /// The rules of a policy, from the lists and header values `cors-rules` checked and rendered,
    /// in the order of the attribute's arguments.
    ///
    /// - `methods`: the methods answered for (`HEAD` with `GET`), or `["*"]` for every method;
    ///   `allow_methods`, the same as configured and rendered.
    /// - `headers`: the allowed request header names, `*` first when every name is, with the
    ///   `slots` that [`cors_rules::table::layout`] gave for the names after it; `allow_headers`,
    ///   the same rendered, or `""` for none.
    /// - `expose`: the exposed header names; `expose_headers`, the same rendered, or `""`.
    /// - `max_age`: seconds, or `""` when left out.
    ///
    /// # Panics
    /// When `*` among the exposed headers comes with credentials, the slots do not fit the names,
    /// or `max_age` is not a number of seconds up to 86400: during constant evaluation, which
    /// makes it a compile error. `*` among the methods or request headers is allowed with
    /// credentials: a preflight then gets what it asks for echoed.
    #[allow(
        clippy::too_many_arguments,
        reason = "the parts of a policy in the order of the attribute's arguments, written by its expansion"
    )]
    #[must_use]
    pub const fn new(
        credentials: bool,
        methods: &'static [&'static str],
        allow_methods: &'static str,
        headers: &'static [&'static str],
        slots: &'static [u16],
        allow_headers: &'static str,
        expose: &'static [&'static str],
        expose_headers: &'static str,
        max_age: &'static str,
    ) -> Self {
        let methods = match methods {
            [star] if is_star(star) => Methods::Any,
            list => Methods::List(list),
        };
        let (any_header, names) = match headers {
            [star, names @ ..] if is_star(star) => (true, names),
            names => (false, names),
        };
        assert!(
            slots.len() == slot_count(names.len()),
            "the slots were not laid out for these header names"
        );
        assert!(
            !(credentials && contains_star(expose)),
            "a policy with credentials cannot expose every response header (`*`): browsers read it as a header named `*`"
        );
        Self {
            credentials,
            csrf: false,
            methods,
            allow_methods,
            headers: RequestHeaders::laid_out(any_header, names, slots),
            allow_headers: present(allow_headers),
            expose,
            expose_headers: present(expose_headers),
            max_age: match present(max_age) {
                Some(text) => Some(seconds(text)),
                None => None,
            },
            max_age_text: present(max_age),
        }
    }

    /// These rules with `csrf`: unsafe requests and WebSocket handshakes that a page of an origin
    /// the policy does not allow made a browser send are refused, by [`csrf::check`](crate::csrf::check).
    /// [`Policy::new`] refuses them with every origin (`*`).
    #[must_use]
    pub const fn with_csrf(mut self) -> Self {
        self.csrf = true;
        self
    }
}

impl Policy {
    /// The one builder of a policy: `origins` with `rules`, every header value rendered.
    ///
    /// `#[cors]` calls it in the initializer of a `static`, where it runs at compile time, and at
    /// startup for origins read from the environment.
    ///
    /// # Panics
    /// When `origins` is `*` and `rules` allow credentials or have `csrf`: during constant
    /// evaluation, which makes it a compile error.
    #[doc(hidden)]
    #[must_use]
    pub const fn new(origins: AllowedOrigins, rules: Rules) -> Self {
        assert!(
            !(rules.credentials && origins.is_any()),
            "a policy with credentials cannot allow every origin (`*`): browsers refuse `Access-Control-Allow-Origin: *` with credentials"
        );
        assert!(
            !(rules.csrf && origins.is_any()),
            "a policy with `csrf` cannot allow every origin (`*`): it would trust every origin to write"
        );
        Self {
            allow_methods: HeaderValue::from_static(rules.allow_methods),
            allow_headers: value(rules.allow_headers),
            expose_headers: value(rules.expose_headers),
            max_age: value(rules.max_age_text),
            origins,
            rules,
        }
    }

    /// Whether a granted preflight echoes its `Access-Control-Request-Method`: `methods = ["*"]`
    /// with credentials, where browsers would read `*` as a method named `*`.
    pub(crate) const fn echoes_method(&self) -> bool {
        self.rules.credentials && self.rules.methods.is_any()
    }

    /// Whether a granted preflight echoes its `Access-Control-Request-Headers`: `headers = ["*"]`
    /// with credentials, where browsers would read `*` as a header named `*`. The names were
    /// checked first, so `authorization` is echoed only when it is listed beside `*`.
    pub(crate) const fn echoes_headers(&self) -> bool {
        self.rules.credentials && self.rules.headers.any
    }

    /// Whether credentials (cookies, HTTP authentication) are allowed
    /// ([`Access-Control-Allow-Credentials`](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Credentials)).
    #[must_use]
    pub const fn credentials(&self) -> bool {
        self.rules.credentials
    }
}

const fn value(text: Option<&'static str>) -> Option<HeaderValue> {
    match text {
        Some(text) => Some(HeaderValue::from_static(text)),
        None => None,
    }
}

/// `text`, unless it is empty: a header that is not sent.
const fn present(text: &'static str) -> Option<&'static str> {
    if text.is_empty() { None } else { Some(text) }
}

const fn is_star(name: &str) -> bool {
    matches!(name.as_bytes(), [b'*'])
}

/// Whether `names` holds `*`.
const fn contains_star(names: &[&str]) -> bool {
    let mut at = 0;
    while at < names.len() {
        if is_star(names[at]) {
            return true;
        }
        at += 1;
    }
    false
}

/// The seconds `text` names: digits, at most [`MAX_AGE_LIMIT`].
const fn seconds(text: &str) -> u32 {
    let digits = text.as_bytes();
    let mut seconds = 0;
    let mut at = 0;
    while at < digits.len() && at < 6 && digits[at].is_ascii_digit() {
        // a digit, so it fits
        #[allow(clippy::cast_lossless, reason = "`u32::from` is not a `const fn`")]
        let digit = (digits[at] - b'0') as u32;
        seconds = seconds * 10 + digit;
        at += 1;
    }
    assert!(
        !(digits.is_empty() || at < digits.len() || seconds > MAX_AGE_LIMIT),
        "`max_age` is a number of seconds from 0 to 86400"
    );
    seconds
}
