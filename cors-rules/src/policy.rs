//! A whole configuration: each entry checked on its own, then the checks that look at several
//! arguments at once (credentials with `*`, duplicates, insecure origins), and the header values
//! the policy will send, rendered once.

use crate::origin::{self, AllowedOrigin, HostPattern, OriginPattern, Scheme};
use crate::{Problem, Site, header, method};

/// A configuration as written, before any check.
#[derive(Clone, Debug, Default)]
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
    /// Every method (`*`, never with credentials).
    Any,
    /// These methods, compared case-sensitively.
    List(Vec<String>),
}

/// The allowed request headers of a valid policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Headers {
    /// `*`: every name but `authorization`, unless that one is listed too.
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
        check_flags(config, None, &mut problems);
        None
    } else {
        let (origins, needs_insecure) = validate_origins(
            &config.origins,
            config.credentials,
            config.insecure_http,
            &mut problems,
        );
        check_flags(config, Some(needs_insecure), &mut problems);
        Some(origins)
    };
    let methods = validate_methods(config.methods.as_deref(), config.credentials, &mut problems);
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
        methods,
        allow_methods,
        allow_headers: render(&headers),
        headers: Headers {
            any: headers.any,
            names: headers.names,
        },
        expose_headers: render(&expose),
        max_age,
    })
}

/// Checks origins read at startup with the same rules as origins written in the attribute.
///
/// # Errors
/// Every problem found, each at its entry's index.
pub fn check_origins(
    texts: &[&str],
    credentials: bool,
    insecure_http: bool,
) -> Result<Origins, Vec<Problem>> {
    let mut problems = Vec::new();
    let (origins, _) = validate_origins(texts, credentials, insecure_http, &mut problems);
    if problems.is_empty() {
        Ok(origins)
    } else {
        Err(problems)
    }
}

/// Checks that the flags mean something: `insecure_http` needs `credentials` and, when the
/// origins are known, an origin that needs it.
fn check_flags(config: &Config<'_>, needs_insecure: Option<bool>, problems: &mut Vec<Problem>) {
    if !config.insecure_http {
        return;
    }
    if !config.credentials {
        problems.push(Problem::at(
            Site::InsecureHttp,
            "`insecure_http` only matters together with `credentials`; remove it",
        ));
    } else if needs_insecure == Some(false) {
        problems.push(Problem::at(
            Site::InsecureHttp,
            "no origin needs `insecure_http`: it only permits non-loopback `http://` origins with `credentials`; remove it",
        ));
    }
}

/// Checks the `origins` list with the flags that bear on it, and says whether an origin needs
/// `insecure_http`.
///
/// Problems are pushed onto `problems`; the returned value is meaningful only when none were.
fn validate_origins(
    texts: &[&str],
    credentials: bool,
    insecure_http: bool,
    problems: &mut Vec<Problem>,
) -> (Origins, bool) {
    if texts.is_empty() {
        problems.push(Problem::at(
            Site::Origins,
            "`origins` is empty, so no origin would ever be allowed; list at least one, such as `[\"https://app.example.com\"]`",
        ));
    }
    let mut parsed: Vec<(usize, AllowedOrigin)> = Vec::new();
    for (index, text) in texts.iter().enumerate() {
        match origin::parse(text) {
            Ok(origin) => {
                if parsed.iter().any(|(_, seen)| *seen == origin) {
                    problems.push(Problem::at(
                        Site::Origin(index),
                        format!("`\"{text}\"` is listed twice; remove this one"),
                    ));
                } else {
                    parsed.push((index, origin));
                }
            }
            Err(message) => problems.push(Problem::at(Site::Origin(index), message)),
        }
    }
    if let Some(&(star, _)) = parsed.iter().find(|(_, o)| *o == AllowedOrigin::Any) {
        if texts.len() > 1 {
            problems.push(Problem::at(
                Site::Origin(star),
                "`\"*\"` allows every origin, so the other entries mean nothing; keep `\"*\"` alone or remove it",
            ));
        }
        if credentials {
            problems.push(Problem::between(
                Site::Origin(star),
                Site::Credentials,
                "`*` cannot be combined with `credentials`: browsers refuse `Access-Control-Allow-Origin: *` on requests with credentials; list the origins that may send credentials, or remove `credentials`",
            ));
        }
    }
    let needs_insecure =
        credentials && check_credentialed_origins(&parsed, insecure_http, problems);
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

/// The message for `*` among the methods, request headers or exposed headers together with
/// `credentials`; `{what}` and `{fix}` are filled in.
const WILDCARD_WITH_CREDENTIALS: &str = "`*` cannot be combined with `credentials`: on requests with credentials browsers read a wildcard {what} as the literal name `*`, which matches nothing; {fix}, or remove `credentials`";

/// Checks origins that will receive credentials; says whether one needs `insecure_http`.
fn check_credentialed_origins(
    parsed: &[(usize, AllowedOrigin)],
    insecure_http: bool,
    problems: &mut Vec<Problem>,
) -> bool {
    let mut needs_insecure = false;
    for (index, origin) in parsed {
        if let AllowedOrigin::Pattern(OriginPattern {
            scheme,
            host: HostPattern::Subdomains(domain),
            ..
        }) = origin
            && is_public_suffix(domain)
        {
            problems.push(Problem::between(
                Site::Origin(*index),
                Site::Credentials,
                format!(
                    "`*.{domain}` would let anyone who registers a name under the public suffix `{domain}` read responses with credentials; narrow it to a domain you own, as in `\"{}://*.example.{domain}\"`, or remove `credentials`",
                    scheme.as_str()
                ),
            ));
        }
        if origin.scheme() == Some(Scheme::Http) && !origin.is_loopback() {
            needs_insecure = true;
            if !insecure_http {
                problems.push(Problem::between(
                    Site::Origin(*index),
                    Site::Credentials,
                    "a plain `http://` origin with `credentials` lets anyone on the network read the user's data; use `https://`, or add `insecure_http` if this is deliberate",
                ));
            }
        }
    }
    needs_insecure
}

/// Whether `domain` is on the Public Suffix List (either section), so a wildcard over it covers
/// names that anyone can register: listed itself, or under a listed `*.` rule without a `!`
/// exception. The list is `public_suffix_list.dat`, written by `scripts/public-suffixes`.
fn is_public_suffix(domain: &str) -> bool {
    let listed = |rule: &str| {
        include_str!("public_suffix_list.dat")
            .lines()
            .any(|line| line == rule)
    };
    listed(domain)
        || domain.split_once('.').is_some_and(|(_, parent)| {
            listed(&format!("*.{parent}")) && !listed(&format!("!{domain}"))
        })
}

fn validate_methods(
    texts: Option<&[&str]>,
    credentials: bool,
    problems: &mut Vec<Problem>,
) -> (Methods, String) {
    let Some(texts) = texts else {
        return (
            Methods::List(method::DEFAULT.map(str::to_owned).to_vec()),
            method::DEFAULT.join(", "),
        );
    };
    if texts.is_empty() {
        problems.push(Problem::at(
            Site::Methods,
            "`methods` is empty; list at least one method, or leave `methods` out for the default `GET, HEAD, POST`",
        ));
    }
    if let Some(star) = texts.iter().position(|text| *text == "*") {
        let star = Star {
            site: Site::Method(star),
            others: texts.len() - 1,
            noun: "method",
            only: "",
            fix: "list the methods",
        };
        star.check(credentials, problems);
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
    let allow_methods = listed.join(", ");
    if listed.iter().any(|m| m == "GET") && !listed.iter().any(|m| m == "HEAD") {
        listed.push("HEAD".to_owned());
    }
    (Methods::List(listed), allow_methods)
}

/// Which list of header names is being checked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum List {
    Headers,
    Expose,
}

impl List {
    fn site(self, index: usize) -> Site {
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
struct Names {
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
        let star = Star {
            site: site(star),
            others,
            noun,
            only,
            fix: "list the names",
        };
        star.check(credentials, problems);
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

/// A `"*"` in a list of methods or header names.
struct Star<'a> {
    /// Where it is.
    site: Site,
    /// How many entries beside it mean nothing, since it covers them.
    others: usize,
    /// What the list holds, for messages.
    noun: &'a str,
    /// What may stand beside it anyway, for messages.
    only: &'a str,
    /// What to write instead of it with credentials.
    fix: &'a str,
}

impl Star<'_> {
    /// A `"*"` stands alone, and never with credentials.
    fn check(&self, credentials: bool, problems: &mut Vec<Problem>) {
        let Self {
            site,
            others,
            noun,
            only,
            fix,
        } = *self;
        if others > 0 {
            problems.push(Problem::at(
                site,
                format!("`\"*\"` already covers every {noun}, so the other entries mean nothing{only}; keep `\"*\"` alone or remove it"),
            ));
        }
        if credentials {
            problems.push(Problem::between(
                site,
                Site::Credentials,
                WILDCARD_WITH_CREDENTIALS
                    .replace("{what}", noun)
                    .replace("{fix}", fix),
            ));
        }
    }
}

/// The header value listing `names`: `*` first when present, names joined by `, `.
fn render(names: &Names) -> Option<String> {
    let star = names.any.then_some("*");
    let all: Vec<&str> = star
        .into_iter()
        .chain(names.names.iter().map(String::as_str))
        .collect();
    (!all.is_empty()).then(|| all.join(", "))
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
mod tests {
    use super::*;

    fn config<'a>(origins: &[&'a str]) -> Config<'a> {
        Config {
            origins: origins.to_vec(),
            ..Config::default()
        }
    }

    fn problems(config: &Config<'_>) -> Vec<(Site, Option<Site>)> {
        validate(config)
            .expect_err("configuration should be refused")
            .into_iter()
            .map(|p| (p.site, p.other))
            .collect()
    }

    #[test]
    fn defaults_grant_the_safelisted_methods_and_nothing_else() {
        let valid = validate(&config(&["https://app.example.com"])).unwrap();
        assert_eq!(valid.allow_methods, "GET, HEAD, POST");
        assert_eq!(valid.allow_headers, None);
        assert_eq!(valid.expose_headers, None);
        assert_eq!(valid.max_age, None);
        assert!(matches!(valid.origins, Some(Origins::List { .. })));
    }

    #[test]
    fn the_full_example_renders_its_header_values() {
        let valid = validate(&Config {
            origins: vec!["https://app.example.com", "http://localhost:3000"],
            credentials: true,
            methods: Some(vec!["GET", "POST"]),
            headers: vec!["Content-Type", "x-api-key"],
            expose: vec!["x-request-id"],
            max_age: Some(600),
            ..Config::default()
        })
        .unwrap();
        assert_eq!(valid.allow_methods, "GET, POST");
        assert_eq!(
            valid.methods,
            Methods::List(vec!["GET".into(), "POST".into(), "HEAD".into()])
        );
        assert_eq!(
            valid.allow_headers.as_deref(),
            Some("content-type, x-api-key")
        );
        assert_eq!(valid.expose_headers.as_deref(), Some("x-request-id"));
        assert_eq!(valid.max_age, Some(600));
        assert_eq!(
            valid.origins.unwrap(),
            Origins::List {
                exact: vec![
                    "https://app.example.com".into(),
                    "http://localhost:3000".into()
                ],
                patterns: vec![]
            }
        );
    }

    #[test]
    fn any_origin_without_credentials_needs_no_vary() {
        let valid = validate(&config(&["*"])).unwrap();
        assert_eq!(valid.origins, Some(Origins::Any));
    }

    #[test]
    fn star_with_credentials_is_refused_at_both_ends() {
        let mut c = config(&["*"]);
        c.credentials = true;
        c.methods = Some(vec!["*"]);
        c.headers = vec!["*"];
        c.expose = vec!["*"];
        assert_eq!(
            problems(&c),
            vec![
                (Site::Origin(0), Some(Site::Credentials)),
                (Site::Method(0), Some(Site::Credentials)),
                (Site::Header(0), Some(Site::Credentials)),
                (Site::Expose(0), Some(Site::Credentials)),
            ]
        );
    }

    #[test]
    fn public_suffix_patterns_are_refused_only_with_credentials() {
        let mut c = config(&[
            "https://*.com",
            "https://*.co.uk",
            "https://*.github.io",
            "https://*.example.com",
        ]);
        assert!(validate(&c).is_ok());
        c.credentials = true;
        assert_eq!(
            problems(&c),
            vec![
                (Site::Origin(0), Some(Site::Credentials)),
                (Site::Origin(1), Some(Site::Credentials)),
                (Site::Origin(2), Some(Site::Credentials)),
            ]
        );
    }

    #[test]
    fn insecure_origins_need_the_opt_out_with_credentials() {
        let mut c = config(&["http://intranet.example.com", "http://localhost:3000"]);
        c.credentials = true;
        assert_eq!(
            problems(&c),
            vec![(Site::Origin(0), Some(Site::Credentials))]
        );
        c.insecure_http = true;
        assert!(validate(&c).is_ok());
        c.origins = vec!["http://localhost:3000"];
        assert_eq!(problems(&c), vec![(Site::InsecureHttp, None)]);
        c.credentials = false;
        assert_eq!(problems(&c), vec![(Site::InsecureHttp, None)]);
    }

    #[test]
    fn duplicates_are_refused_at_the_second_entry() {
        let mut c = config(&["https://a.com", "https://a.com"]);
        c.methods = Some(vec!["GET", "GET"]);
        c.headers = vec!["X-Api-Key", "x-api-key"];
        c.expose = vec!["x-id", "X-ID"];
        assert_eq!(
            problems(&c),
            vec![
                (Site::Origin(1), None),
                (Site::Method(1), None),
                (Site::Header(1), None),
                (Site::Expose(1), None),
            ]
        );
    }

    #[test]
    fn star_must_stand_alone_except_authorization_beside_star_headers() {
        let mut c = config(&["*", "https://a.com"]);
        c.headers = vec!["*", "authorization"];
        assert_eq!(problems(&c), vec![(Site::Origin(0), None)]);
        c.origins = vec!["*"];
        let valid = validate(&c).unwrap();
        assert_eq!(valid.allow_headers.as_deref(), Some("*, authorization"));
        c.headers = vec!["*", "x-foo"];
        assert_eq!(problems(&c), vec![(Site::Header(0), None)]);
    }

    #[test]
    fn empty_lists_and_out_of_range_max_age_are_refused() {
        let mut c = config(&[]);
        c.methods = Some(vec![]);
        c.max_age = Some(-1);
        assert_eq!(
            problems(&c),
            vec![
                (Site::Origins, None),
                (Site::Methods, None),
                (Site::MaxAge, None)
            ]
        );
        c.origins = vec!["https://a.com"];
        c.methods = None;
        c.max_age = Some(86_401);
        assert_eq!(problems(&c), vec![(Site::MaxAge, None)]);
        c.max_age = Some(86_400);
        assert!(validate(&c).is_ok());
    }
}
