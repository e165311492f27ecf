//! Scenarios: a `fetch` call made by a page of one origin, and what the browser and the API must
//! make of it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Bytes;
use axum::response::Html;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use crate::chromium::Chromium;
use crate::servers::Servers;

/// The page that makes the calls, with `__CALLS__` standing for them.
const RUNNER: &str = include_str!("runner.html");

/// A `fetch` call, as the runner page makes it.
#[derive(Debug, Serialize)]
pub(crate) struct Call {
    /// `init.method`.
    method: &'static str,
    /// The path on the API, without a query: the query names the scenario.
    #[serde(skip)]
    path: &'static str,
    /// `init.headers`, as name and value pairs.
    headers: Vec<(&'static str, &'static str)>,
    /// `init.credentials`: `same-origin`, fetch's default, or `include`.
    credentials: &'static str,
    /// `init.body`.
    body: Option<&'static str>,
    /// The response headers the page tries to read.
    read: Vec<&'static str>,
}

impl Call {
    /// A call with this method, without credentials, headers or body.
    pub(crate) fn new(method: &'static str, path: &'static str) -> Self {
        Self {
            method,
            path,
            headers: Vec::new(),
            credentials: "same-origin",
            body: None,
            read: Vec::new(),
        }
    }

    /// A `GET`.
    pub(crate) fn get(path: &'static str) -> Self {
        Self::new("GET", path)
    }

    /// A `POST` of `body` as `content_type`.
    pub(crate) fn post(path: &'static str, content_type: &'static str, body: &'static str) -> Self {
        Self {
            body: Some(body),
            ..Self::new("POST", path).header("content-type", content_type)
        }
    }

    /// The same call with one more request header.
    pub(crate) fn header(mut self, name: &'static str, value: &'static str) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The same call with `credentials: "include"`.
    pub(crate) fn with_credentials(mut self) -> Self {
        self.credentials = "include";
        self
    }
}

/// Why Chromium blocked a call, by the start of what it logs after
/// `has been blocked by CORS policy: `.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Reason {
    /// The response has no `Access-Control-Allow-Origin`.
    NoAllowOrigin,
    /// The preflight failed, so the call itself was never sent.
    PreflightRefused,
    /// `Access-Control-Allow-Origin: *` answered a call with credentials.
    WildcardWithCredentials,
    /// A call with credentials got no `Access-Control-Allow-Credentials: true`.
    NoAllowCredentials,
}

impl Reason {
    /// How Chromium's console message begins.
    const fn chromium_says(self) -> &'static str {
        match self {
            Self::NoAllowOrigin => "No 'Access-Control-Allow-Origin' header is present",
            Self::PreflightRefused => {
                "Response to preflight request doesn't pass access control check"
            }
            Self::WildcardWithCredentials => {
                "The value of the 'Access-Control-Allow-Origin' header in the response must not \
                 be the wildcard '*' when the request's credentials mode is 'include'"
            }
            Self::NoAllowCredentials => {
                "The value of the 'Access-Control-Allow-Credentials' header in the response is '' \
                 which must be 'true' when the request's credentials mode is 'include'"
            }
        }
    }
}

/// What the browser must do with a call.
#[derive(Debug)]
enum Expected {
    /// Hand the response to the page.
    Allowed {
        /// Its status.
        status: u16,
        /// Its body, when the scenario checks it.
        body: Option<&'static str>,
        /// What the page reads of these headers: `None` for `null`, unreadable.
        headers: Vec<(&'static str, Option<&'static str>)>,
    },
    /// Throw a `TypeError` at the page and log this reason.
    Blocked(Reason),
}

/// A call, what the browser must do with it, and what the API must have answered.
#[derive(Debug)]
pub(crate) struct Scenario {
    /// What the scenario shows, as a sentence.
    name: &'static str,
    /// The call the page makes.
    call: Call,
    /// What the browser must do.
    expected: Expected,
    /// The API's answers, in order, as `METHOD status`.
    answered: Vec<&'static str>,
}

impl Scenario {
    /// The browser must let the page read the response, which has this status.
    pub(crate) fn allowed(name: &'static str, call: Call, status: u16) -> Self {
        Self {
            name,
            call,
            expected: Expected::Allowed {
                status,
                body: None,
                headers: Vec::new(),
            },
            answered: Vec::new(),
        }
    }

    /// The browser must block the call, for this reason.
    pub(crate) fn blocked(name: &'static str, call: Call, reason: Reason) -> Self {
        Self {
            name,
            call,
            expected: Expected::Blocked(reason),
            answered: Vec::new(),
        }
    }

    /// The page must read this body.
    pub(crate) fn body(mut self, text: &'static str) -> Self {
        if let Expected::Allowed { body, .. } = &mut self.expected {
            *body = Some(text);
        }
        self
    }

    /// The page reads the response header `name` and must get `value` (`None`: `null`).
    pub(crate) fn reads(mut self, name: &'static str, value: Option<&'static str>) -> Self {
        self.call.read.push(name);
        if let Expected::Allowed { headers, .. } = &mut self.expected {
            headers.push((name, value));
        }
        self
    }

    /// The API must have answered exactly these requests for the call, as `METHOD status`.
    pub(crate) fn answered<const N: usize>(mut self, exchanges: [&'static str; N]) -> Self {
        self.answered = exchanges.to_vec();
        self
    }

    /// What went wrong, given what the page saw, what Chromium logged and what the API answered.
    fn problems(
        &self,
        observed: &Observed,
        cors_error: Option<&str>,
        exchanges: &[&str],
    ) -> Vec<String> {
        let mut problems = Vec::new();
        match (&self.expected, observed) {
            (
                Expected::Allowed {
                    status,
                    body,
                    headers,
                },
                Observed::Allowed {
                    status: got_status,
                    body: got_body,
                    headers: got_headers,
                },
            ) => {
                if status != got_status {
                    problems.push(format!("status {got_status}, expected {status}"));
                }
                if let Some(body) = body
                    && body != got_body
                {
                    problems.push(format!("body {got_body:?}, expected {body:?}"));
                }
                for (name, value) in headers {
                    let got = got_headers.get(*name).cloned().flatten();
                    if got.as_deref() != *value {
                        problems.push(format!("{name} read as {got:?}, expected {value:?}"));
                    }
                }
                if let Some(said) = cors_error {
                    problems.push(format!("Chromium logged a CORS error: {said}"));
                }
            }
            (Expected::Blocked(reason), Observed::Blocked { error }) => {
                if !error.starts_with("TypeError") {
                    problems.push(format!(
                        "the call failed with {error:?}, not the TypeError of a blocked fetch"
                    ));
                }
                match cors_error {
                    Some(said) if said.starts_with(reason.chromium_says()) => {}
                    Some(said) => problems.push(format!(
                        "Chromium blocked it because {said:?}, expected {:?}",
                        reason.chromium_says()
                    )),
                    None => problems.push(
                        "Chromium logged no CORS error for it: it failed for another reason"
                            .to_owned(),
                    ),
                }
            }
            (Expected::Allowed { .. }, Observed::Blocked { error }) => problems.push(format!(
                "blocked ({}), expected allowed",
                cors_error.unwrap_or(error)
            )),
            (Expected::Blocked(_), Observed::Allowed { status, .. }) => {
                problems.push(format!("allowed with status {status}, expected blocked"));
            }
        }
        if exchanges != self.answered {
            problems.push(format!(
                "the API answered {exchanges:?}, expected {:?}",
                self.answered
            ));
        }
        problems
    }
}

/// What the runner page saw of one call.
#[derive(Debug, Deserialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
enum Observed {
    /// `fetch` resolved.
    Allowed {
        /// `response.status`.
        status: u16,
        /// `response.text()`.
        body: String,
        /// `response.headers.get(name)` for each name the call reads.
        headers: BTreeMap<String, Option<String>>,
    },
    /// `fetch` rejected.
    Blocked {
        /// The error's name and message.
        error: String,
    },
}

impl Observed {
    /// One line for the report.
    fn summary(&self, cors_error: Option<&str>) -> String {
        match self {
            Self::Allowed {
                status,
                body,
                headers,
            } => {
                let mut summary = format!("allowed, {status} {body}");
                for (name, value) in headers {
                    let _ = write!(summary, ", {name}: {value:?}");
                }
                summary
            }
            Self::Blocked { error } => format!("blocked: {}", cors_error.unwrap_or(error)),
        }
    }
}

/// A call with the URL the runner page fetches.
#[derive(Serialize)]
struct Fetch<'a> {
    /// The API's origin, the call's path and the scenario's query.
    url: &'a str,
    /// The rest of the call.
    #[serde(flatten)]
    call: &'a Call,
}

/// Runs `scenarios` in Chromium from a page served at `origin`, and fails with every difference
/// between what should have happened and what did; the report of every scenario is printed
/// either way.
pub(crate) fn run_from(origin: &'static str, scenarios: &[Scenario]) {
    let Some(chromium) = Chromium::find() else {
        return;
    };
    let servers = Servers::start();
    let api = servers.api_origin();
    let urls: Vec<String> = scenarios
        .iter()
        .enumerate()
        .map(|(index, scenario)| format!("{api}{}?scenario={index}", scenario.call.path))
        .collect();
    let fetches: Vec<Fetch<'_>> = scenarios
        .iter()
        .zip(&urls)
        .map(|(scenario, url)| Fetch {
            url,
            call: &scenario.call,
        })
        .collect();
    let page = servers.serve(runner(&fetches));
    let dump = chromium.dump_dom(&format!("{origin}/"), &host_rules(&[(origin, page)]));
    let verdicts = dump.text_of("verdicts").unwrap_or_default();
    let observed: Vec<Observed> = serde_json::from_str(&verdicts).unwrap_or_else(|error| {
        panic!(
            "the runner page at {origin} reported nothing readable ({error}); its DOM:\n{}\nChromium's log:\n{}",
            dump.dom, dump.log
        )
    });
    assert_eq!(observed.len(), scenarios.len(), "one verdict per call");

    let answers = servers.answers();
    let mut report = String::new();
    let mut failed = 0;
    for (index, ((scenario, url), observed)) in
        scenarios.iter().zip(&urls).zip(&observed).enumerate()
    {
        let query = format!("scenario={index}");
        let exchanges: Vec<&str> = answers
            .iter()
            .filter(|answer| answer.query.as_deref() == Some(query.as_str()))
            .map(|answer| answer.exchange.as_str())
            .collect();
        let cors_error = dump.cors_error(url);
        let problems = scenario.problems(observed, cors_error, &exchanges);
        failed += usize::from(!problems.is_empty());
        let mark = if problems.is_empty() { "ok  " } else { "FAIL" };
        let _ = writeln!(report, "{mark} {}", scenario.name);
        let _ = writeln!(
            report,
            "       browser: {}; API: {}",
            observed.summary(cors_error),
            exchanges.join(", ")
        );
        for problem in problems {
            let _ = writeln!(report, "       {problem}");
        }
    }
    for answer in &answers {
        if answer.origin.as_deref() != Some(origin) {
            failed += 1;
            let _ = writeln!(
                report,
                "FAIL the API got a request from {:?}, not {origin}: {answer:?}",
                answer.origin
            );
        }
    }
    println!("from {origin}:\n{report}");
    assert!(
        failed == 0,
        "{failed} failures among {} scenarios from {origin}:\n{report}",
        scenarios.len()
    );
}

/// The runner page, making `fetches` in order.
fn runner(fetches: &[Fetch<'_>]) -> Router {
    let calls = serde_json::to_string(fetches).expect("calls as JSON");
    // the calls sit in a <script> element, which only `</` could end early
    let html = Bytes::from(RUNNER.replace("__CALLS__", &calls.replace("</", "<\\/")));
    Router::new().route(
        "/",
        get(move || {
            let html = html.clone();
            async move { Html(html) }
        }),
    )
}

/// `--host-resolver-rules` that send each origin to the server at its address, and no other name
/// anywhere; the API is called by its IP address, which needs no rule.
pub(crate) fn host_rules(origins: &[(&str, SocketAddr)]) -> String {
    let mut rules = String::new();
    for (origin, address) in origins {
        let authority = origin.strip_prefix("http://").expect("an http:// origin");
        // a rule with a port matches `host:port`; the default port is spelt out
        let port = if authority.contains(':') { "" } else { ":80" };
        let _ = write!(rules, "MAP {authority}{port} {address}, ");
    }
    rules + "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
}
