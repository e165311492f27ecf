//! A whole configuration as written, checked entry by entry into the form the runtime uses; the
//! checks that look at several arguments at once are in `check`, the header values
//! in `render`.

use std::collections::HashSet;

use crate::origin::{self, AllowedOrigin, OriginPattern};
use crate::{Problem, Site, check, header, method, render};

/// A configuration as written, before any check.
#[derive(Clone, Debug, Default)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "one field per flag of the attribute, as written"
)]
pub struct Config<'a> {
    /// `origins`: allowed origins, patterns or `*`; ignored when `origins_at_startup`.
    pub origins: Vec<&'a str>,
    /// Whether the origins are read at startup (`origins = env("NAME")`), to be checked then by
    /// [`check_origins`] with the same rules.
    pub origins_at_startup: bool,
    /// `credentials`: whether cookies and HTTP authentication may be sent and read.
    pub credentials: bool,
    /// `insecure_http`: whether credentials may go to plain `http://` origins that are not
    /// loopback.
    pub insecure_http: bool,
    /// `csrf`: whether unsafe requests and WebSocket handshakes from origins the policy does not
    /// allow are refused.
    pub csrf: bool,
    /// `methods`, or `None` when left out.
    pub methods: Option<Vec<&'a str>>,
    /// `headers`: request headers scripts may send.
    pub headers: Vec<&'a str>,
    /// `expose`: response headers scripts may read.
    pub expose: Vec<&'a str>,
    /// `max_age` in seconds as written, or `None` when left out.
    pub max_age: Option<i128>,
}

/// A configuration that passed every check, in the form the runtime uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Valid {
    /// The allowed origins, or `None` when they are read at startup.
    pub origins: Option<Origins>,
    /// Whether credentials are allowed.
    pub credentials: bool,
    /// Whether credentials may go to non-loopback `http://` origins (`insecure_http`), which
    /// origins read at startup are checked against.
    pub insecure_http: bool,
    /// Whether cross-origin writes and WebSocket handshakes are refused (`csrf`).
    pub csrf: bool,
    /// The methods the policy answers for, `HEAD` included when `GET` is (axum serves `HEAD` with
    /// the `GET` handler).
    pub methods: Methods,
    /// The allowed request headers.
    pub headers: Headers,
    /// `Access-Control-Allow-Methods` of a granted preflight.
    pub allow_methods: String,
    /// `Access-Control-Allow-Headers` of a granted preflight, if any header is allowed.
    pub allow_headers: Option<String>,
    /// `Access-Control-Expose-Headers` of a granted actual request, if any header is exposed.
    pub expose_headers: Option<String>,
    /// The exposed header names, lowercase, `*` first when listed.
    pub expose: Vec<String>,
    /// `Access-Control-Max-Age` of a granted preflight, if set.
    pub max_age: Option<u32>,
}

/// The allowed origins of a valid policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origins {
    /// Every origin (`*`, never with credentials).
    Any,
    /// Exact origins and patterns.
    List {
        /// Serialized origins, compared byte for byte.
        exact: Vec<String>,
        /// Patterns, tried in order after the exact origins.
        patterns: Vec<OriginPattern>,
    },
}

/// The methods of a valid policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Methods {
    /// Every method (`*`); with credentials, a preflight gets the method it asks for echoed.
    Any,
    /// These methods, compared case-sensitively.
    List(Vec<String>),
}

/// The allowed request headers of a valid policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Headers {
    /// `*`: every name but `authorization`, unless that one is listed too; with credentials, a
    /// preflight gets the names it asks for echoed.
    pub any: bool,
    /// Listed names, lowercase.
    pub names: Vec<String>,
}

/// The largest `max_age` accepted: Firefox's cap, one day (Chromium caps at two hours).
pub const MAX_AGE_LIMIT: u32 = 86_400;

/// Checks a whole configuration and renders the header values it will send.
///
/// # Errors
/// Every problem found, in argument order, each with its site and fix.
pub fn validate(config: &Config<'_>) -> Result<Valid, Vec<Problem>> {
    let mut problems = Vec::new();
    let origins = if config.origins_at_startup {
        check::flags(config, None, &mut problems);
        None
    } else {
        let flags = check::Flags {
            credentials: config.credentials,
            insecure_http: config.insecure_http,
            csrf: config.csrf,
        };
        let (origins, needs_insecure) = validate_origins(&config.origins, flags, &mut problems);
        check::flags(config, Some(needs_insecure), &mut problems);
        Some(origins)
    };
    let methods = validate_methods(config.methods.as_deref(), &mut problems);
    let headers = validate_names(
        &config.headers,
        List::Headers,
        config.credentials,
        &mut problems,
    );
    let expose = validate_names(
        &config.expose,
        List::Expose,
        config.credentials,
        &mut problems,
    );
    let max_age = validate_max_age(config.max_age, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let (methods, allow_methods) = methods;
    Ok(Valid {
        origins,
        credentials: config.credentials,
        insecure_http: config.insecure_http,
        csrf: config.csrf,
        methods,
        allow_methods,
        allow_headers: render::names(headers.any, &headers.names),
        headers: Headers {
            any: headers.any,
            names: headers.names,
        },
        expose_headers: render::names(expose.any, &expose.names),
        expose: expose
            .any
            .then(|| "*".to_owned())
            .into_iter()
            .chain(expose.names)
            .collect(),
        max_age,
    })
}

/// Checks origins read at startup with the same rules as origins written in the attribute,
/// under the flags `credentials`, `insecure_http` and `csrf` of their policy.
///
/// # Errors
/// Every problem found, each at its entry's index.
pub fn check_origins(
    texts: &[&str],
    credentials: bool,
    insecure_http: bool,
    csrf: bool,
) -> Result<Origins, Vec<Problem>> {
    let mut problems = Vec::new();
    let flags = check::Flags {
        credentials,
        insecure_http,
        csrf,
    };
    let (origins, _) = validate_origins(texts, flags, &mut problems);
    if problems.is_empty() {
        Ok(origins)
    } else {
        Err(problems)
    }
}

/// Checks the `origins` list with the flags that bear on it, and says whether an origin needs
/// `insecure_http`.
///
/// Problems are pushed onto `problems`; the returned value is meaningful only when none were.
fn validate_origins(
    texts: &[&str],
    flags: check::Flags,
    problems: &mut Vec<Problem>,
) -> (Origins, bool) {
    if texts.is_empty() {
        problems.push(Problem::at(
            Site::Origins,
            "`origins` is empty, so no origin would ever be allowed; list at least one, such as `[\"https://app.example.com\"]`",
        ));
    }
    let mut parsed: Vec<(usize, AllowedOrigin)> = Vec::new();
    // a run-time set may hold a hundred thousand entries: duplicates are found by hash
    let mut seen = HashSet::new();
    for (index, text) in texts.iter().enumerate() {
        match origin::parse(text) {
            Ok(origin) => {
                if seen.insert(origin.clone()) {
                    parsed.push((index, origin));
                } else {
                    problems.push(Problem::at(
                        Site::Origin(index),
                        format!("`\"{text}\"` is listed twice; remove this one"),
                    ));
                }
            }
            Err(message) => problems.push(Problem::at(Site::Origin(index), message)),
        }
    }
    check::any_origin(&parsed, texts.len(), flags, problems);
    let needs_insecure =
        flags.credentials && check::credentialed_origins(&parsed, flags.insecure_http, problems);
    let mut exact = Vec::new();
    let mut patterns = Vec::new();
    for (_, origin) in parsed {
        match origin {
            AllowedOrigin::Any => return (Origins::Any, needs_insecure),
            AllowedOrigin::Exact(text) => exact.push(text),
            AllowedOrigin::Pattern(pattern) => patterns.push(pattern),
        }
    }
    (Origins::List { exact, patterns }, needs_insecure)
}

fn validate_methods(texts: Option<&[&str]>, problems: &mut Vec<Problem>) -> (Methods, String) {
    let Some(texts) = texts else {
        return (
            Methods::List(method::DEFAULT.map(str::to_owned).to_vec()),
            render::methods(&method::DEFAULT),
        );
    };
    if texts.is_empty() {
        problems.push(Problem::at(
            Site::Methods,
            "`methods` is empty; list at least one method, or leave `methods` out for the default `GET, HEAD, POST`",
        ));
    }
    if let Some(star) = texts.iter().position(|text| *text == "*") {
        let star = check::Star {
            site: Site::Method(star),
            others: texts.len() - 1,
            noun: "method",
            only: "",
        };
        // with credentials, the requested method is echoed instead of `*`
        star.check(problems);
        return (Methods::Any, "*".to_owned());
    }
    let mut listed: Vec<String> = Vec::new();
    for (index, text) in texts.iter().enumerate() {
        if let Err(message) = method::check(text) {
            problems.push(Problem::at(Site::Method(index), message));
        } else if listed.iter().any(|seen| seen == text) {
            problems.push(Problem::at(
                Site::Method(index),
                format!("`{text}` is listed twice; remove this one"),
            ));
        } else {
            listed.push((*text).to_owned());
        }
    }
    let allow_methods = render::methods(&listed);
    if listed.iter().any(|m| m == "GET") && !listed.iter().any(|m| m == "HEAD") {
        listed.push("HEAD".to_owned());
    }
    (Methods::List(listed), allow_methods)
}

/// Which list of header names is being checked.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum List {
    Headers,
    Expose,
}

impl List {
    pub(crate) fn site(self, index: usize) -> Site {
        match self {
            Self::Headers => Site::Header(index),
            Self::Expose => Site::Expose(index),
        }
    }

    fn check(self, name: &str) -> Result<String, String> {
        match self {
            Self::Headers => header::check_request(name),
            Self::Expose => header::check_exposed(name),
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Self::Headers => "request header",
            Self::Expose => "exposed header",
        }
    }
}

/// A checked list of header names.
pub(crate) struct Names {
    any: bool,
    names: Vec<String>,
}

fn validate_names(
    texts: &[&str],
    list: List,
    credentials: bool,
    problems: &mut Vec<Problem>,
) -> Names {
    let (site, check, noun) = (
        |index| list.site(index),
        |name| list.check(name),
        list.noun(),
    );
    let mut names: Vec<String> = Vec::new();
    let star = texts.iter().position(|text| *text == "*");
    if let Some(star) = star {
        // `authorization` is the one name `*` does not cover, so it may stand beside it
        let beside = |text: &&str| {
            matches!(list, List::Headers) && text.eq_ignore_ascii_case(header::NON_WILDCARD_REQUEST)
        };
        let others = texts.iter().filter(|t| **t != "*" && !beside(t)).count();
        let only = if matches!(list, List::Headers) {
            " (only `authorization`, which `*` does not cover, may stand beside it)"
        } else {
            ""
        };
        let wildcard = check::Star {
            site: site(star),
            others,
            noun,
            only,
        };
        wildcard.check(problems);
        // with credentials, requested headers are echoed instead of `*`; exposed ones cannot be
        if credentials && list == List::Expose {
            check::exposed_star_with_credentials(site(star), problems);
        }
    }
    for (index, text) in texts.iter().enumerate() {
        if Some(index) == star {
            continue;
        }
        match check(text) {
            Ok(name) if names.contains(&name) => problems.push(Problem::at(
                site(index),
                format!(
                    "`{text}` is listed twice (header names are case-insensitive); remove this one"
                ),
            )),
            Ok(name) => names.push(name),
            Err(message) => problems.push(Problem::at(site(index), message)),
        }
    }
    Names {
        any: star.is_some(),
        names,
    }
}

fn validate_max_age(max_age: Option<i128>, problems: &mut Vec<Problem>) -> Option<u32> {
    let seconds = max_age?;
    match u32::try_from(seconds) {
        Err(_) if seconds < 0 => {
            problems.push(Problem::at(
                Site::MaxAge,
                "`max_age` cannot be negative; write a number of seconds from 0 to 86400",
            ));
            None
        }
        Ok(seconds) if seconds <= MAX_AGE_LIMIT => Some(seconds),
        _ => {
            problems.push(Problem::at(
                Site::MaxAge,
                format!(
                    "`max_age` of {seconds} seconds is more than any browser keeps a preflight (Firefox caps it at 86400, Chromium at 7200); write at most `86400`"
                ),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests;
