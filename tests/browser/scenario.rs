//! Scenarios: a `fetch` call made by a page of one origin, and what every engine and the API
//! must make of it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

use crate::call::{Call, Reason};
use crate::engine::Judge;

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
    pub(crate) name: &'static str,
    /// The call the page makes.
    pub(crate) call: Call,
    /// What the browser must do.
    expected: Expected,
    /// The API's answers, in order, as `METHOD status`.
    answered: Vec<&'static str>,
    /// Engines, or the model, whose answers differ, with theirs.
    answered_in: Vec<(Judge, Vec<&'static str>)>,
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
            answered_in: Vec::new(),
        }
    }

    /// The browser must block the call, for this reason.
    pub(crate) fn blocked(name: &'static str, call: Call, reason: Reason) -> Self {
        Self {
            name,
            call,
            expected: Expected::Blocked(reason),
            answered: Vec::new(),
            answered_in: Vec::new(),
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

    /// In `judge` (an engine, or the model), the API must have answered these instead; the
    /// scenario says why.
    pub(crate) fn answered_in<const N: usize>(
        mut self,
        judge: impl Into<Judge>,
        exchanges: [&'static str; N],
    ) -> Self {
        self.answered_in.push((judge.into(), exchanges.to_vec()));
        self
    }

    /// What went wrong in `judge`, given what the page saw, the CORS error it logged and what
    /// the API answered.
    pub(crate) fn problems(
        &self,
        judge: Judge,
        observed: &Observed,
        cors_error: Option<&str>,
        exchanges: &[&str],
    ) -> Vec<String> {
        let mut problems = match (&self.expected, observed) {
            (Expected::Allowed { .. }, Observed::Allowed { .. }) => {
                let mut problems = self.misread(observed);
                if let Some(said) = cors_error {
                    problems.push(format!("a CORS error was logged: {said}"));
                }
                problems
            }
            (Expected::Blocked(reason), Observed::Blocked { error }) => {
                misblocked(judge, *reason, error, cors_error)
            }
            (Expected::Allowed { .. }, Observed::Blocked { error }) => vec![format!(
                "blocked ({}), expected allowed",
                cors_error.unwrap_or(error)
            )],
            (Expected::Blocked(_), Observed::Allowed { status, .. }) => {
                vec![format!("allowed with status {status}, expected blocked")]
            }
        };
        let answered = self
            .answered_in
            .iter()
            .find(|(differs, _)| *differs == judge)
            .map_or(&self.answered, |(_, answered)| answered);
        if exchanges != *answered {
            problems.push(format!(
                "the API answered {exchanges:?}, expected {answered:?}"
            ));
        }
        problems
    }

    /// How what the page read of an allowed call differs from what it should have read.
    fn misread(&self, observed: &Observed) -> Vec<String> {
        let (
            Expected::Allowed {
                status,
                body,
                headers,
            },
            Observed::Allowed {
                status: got_status,
                body: got_body,
                headers: got_headers,
                ..
            },
        ) = (&self.expected, observed)
        else {
            return Vec::new();
        };
        let mut problems = Vec::new();
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
        problems
    }
}

/// How a blocked call, which the page saw fail with `error`, differs from one `judge` blocked
/// for `reason`.
fn misblocked(judge: Judge, reason: Reason, error: &str, cors_error: Option<&str>) -> Vec<String> {
    let mut problems = Vec::new();
    if !error.starts_with("TypeError") {
        problems.push(format!(
            "the call failed with {error:?}, not the TypeError of a blocked fetch"
        ));
    }
    let says = reason.says(judge);
    match cors_error {
        Some(said) if said.contains(&says) => {}
        Some(said) => problems.push(format!("blocked because {said:?}, expected {says:?}")),
        None => problems
            .push("no CORS error was logged for it: it failed for another reason".to_owned()),
    }
    problems
}

/// What the page saw of one call.
#[derive(Debug, Deserialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
pub(crate) enum Observed {
    /// `fetch` resolved.
    Allowed {
        /// `response.status`.
        status: u16,
        /// `response.text()`.
        body: String,
        /// `response.headers.get(name)` for each name the call reads.
        headers: BTreeMap<String, Option<String>>,
        /// The names of every response header the page can read, as `response.headers` lists
        /// them.
        readable: Vec<String>,
    },
    /// `fetch` rejected.
    Blocked {
        /// The error's name and message.
        error: String,
    },
}

/// What a script can tell of an answer: whether it was blocked, its status, and which response
/// headers it can read. Every engine must agree on it, as must any model of a browser.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Readable {
    /// `fetch` rejected.
    Blocked,
    /// `fetch` resolved with this status and these readable header names, sorted.
    Allowed(u16, Vec<String>),
}

impl Observed {
    /// What a script can tell of the answer.
    pub(crate) fn readable(&self) -> Readable {
        match self {
            Self::Allowed {
                status, readable, ..
            } => {
                let mut names = readable.clone();
                names.sort();
                Readable::Allowed(*status, names)
            }
            Self::Blocked { .. } => Readable::Blocked,
        }
    }

    /// One line for the report.
    pub(crate) fn summary(&self, cors_error: Option<&str>) -> String {
        match self {
            Self::Allowed {
                status,
                body,
                headers,
                readable,
            } => {
                let mut summary = format!("allowed, {status} {body}");
                for (name, value) in headers {
                    let _ = write!(summary, ", {name}: {value:?}");
                }
                let _ = write!(summary, "; readable headers: {}", readable.join(" "));
                summary
            }
            Self::Blocked { error } => format!("blocked: {}", cors_error.unwrap_or(error)),
        }
    }
}
