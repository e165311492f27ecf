//! Every `#[cors]` handler in the binary and its policy, for review: collected at link time, so
//! nothing needs registering by hand.
//!
//! ```
//! for entry in cors_runtime::audit::entries() {
//!     println!("{} at {}:{}", entry.handler, entry.file, entry.line);
//! }
//! print!("{}", cors_runtime::audit::table(&cors_runtime::audit::entries()));
//! for set in cors_runtime::audit::sets() {
//!     println!("{} holds {:?}, used by {:?}", set.name, set.entries, set.handlers);
//! }
//! ```

use std::fmt::Write;

use crate::route::Registration;
use crate::{EnvError, Handler, Origins, Policy};

/// One handler's policy, in plain values: what a reviewer reads and a CI job diffs.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Entry {
    /// The handler's name.
    pub handler: &'static str,
    /// The source file it is declared in.
    pub file: &'static str,
    /// The line of its name.
    pub line: u32,
    /// The named policy it uses, if any.
    pub policy: Option<&'static str>,
    /// Allowed origins and patterns as configured, in the attribute or the environment, or `*`;
    /// those a set holds now, for a policy with `origins = SET`.
    pub origins: Vec<String>,
    /// The set of origins the policy uses (`origins = TENANTS`), by the name the attribute gives
    /// it.
    pub origin_set: Option<&'static str>,
    /// Whether credentials are allowed.
    pub credentials: bool,
    /// Whether cross-origin writes and WebSocket handshakes are refused (`csrf`).
    pub csrf: bool,
    /// Methods granted in preflights (`HEAD` with `GET`), or `*`.
    pub methods: Vec<&'static str>,
    /// Allowed request headers, or `*` (with `authorization` if listed).
    pub headers: Vec<String>,
    /// Exposed response headers.
    pub expose: Vec<String>,
    /// Seconds a preflight may be cached, when set.
    pub max_age: Option<u32>,
}

/// Every `#[cors]` handler linked into the binary, by file and line.
///
/// # Panics
/// When a policy reads its origins from an environment variable that is missing or wrong, as
/// `handler::layer()` does at startup.
#[must_use]
pub fn entries() -> Vec<Entry> {
    let mut entries: Vec<Entry> = inventory::iter::<Registration>
        .into_iter()
        .map(|declaration| entry(declaration.handler(), declaration.policy()))
        .collect();
    entries.sort_by(|a, b| (a.file, a.line, a.handler).cmp(&(b.file, b.line, b.handler)));
    entries
}

/// A set of origins that changes at run time (`origins = TENANTS`), with what it holds now and
/// who uses it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SetEntry {
    /// The set's name, as the first handler using it writes it.
    pub name: &'static str,
    /// The origins and patterns it holds now.
    pub entries: Vec<String>,
    /// The handlers whose policy uses it, in source order.
    pub handlers: Vec<&'static str>,
}

/// Every set of origins that a `#[cors]` handler linked into the binary uses, by name.
#[must_use]
pub fn sets() -> Vec<SetEntry> {
    let mut users: Vec<(&'static Handler, &'static Origins, &'static str)> =
        inventory::iter::<Registration>
            .into_iter()
            .filter_map(|declaration| {
                let (set, name, _) = declaration.constant()?.origins.set_used()?;
                Some((declaration.handler(), set, name))
            })
            .collect();
    users.sort_by_key(|(handler, _, _)| (handler.file(), handler.line(), handler.name()));
    let mut sets: Vec<(&'static Origins, SetEntry)> = Vec::new();
    for (handler, set, name) in users {
        match sets.iter_mut().find(|(seen, _)| std::ptr::eq(*seen, set)) {
            Some((_, listed)) => listed.handlers.push(handler.name()),
            None => sets.push((
                set,
                SetEntry {
                    name,
                    entries: set.entries(),
                    handlers: vec![handler.name()],
                },
            )),
        }
    }
    sets.into_iter().map(|(_, set)| set).collect()
}

/// Every policy that reads its origins from the environment and cannot: call it first thing at
/// startup to report every missing or wrong variable at once, rather than stopping at the first
/// `handler::layer()` that meets one.
///
/// ```
/// let errors = cors_runtime::audit::environment_errors();
/// for error in &errors {
///     eprintln!("{error}");
/// }
/// assert!(errors.is_empty());
/// ```
#[must_use]
pub fn environment_errors() -> Vec<&'static EnvError> {
    let mut errors: Vec<&'static EnvError> = Vec::new();
    for declaration in inventory::iter::<Registration> {
        // handlers sharing a named policy share its error too
        if let Err(error) = declaration.get()
            && !errors.iter().any(|seen| std::ptr::eq(*seen, error))
        {
            errors.push(error);
        }
    }
    errors
}

fn entry(handler: &'static Handler, policy: &'static Policy) -> Entry {
    let rules = &policy.rules;
    Entry {
        handler: handler.name(),
        file: handler.file(),
        line: handler.line(),
        policy: handler.policy_name(),
        origins: policy.origins.texts(),
        origin_set: policy.origins.set_used().map(|(_, name, _)| name),
        credentials: rules.credentials,
        csrf: rules.csrf,
        methods: rules.methods.listed().to_vec(),
        headers: rules.headers.listed(),
        expose: rules.expose.iter().map(|name| (*name).to_owned()).collect(),
        max_age: rules.max_age,
    }
}

/// The entries as a plain-text table, one handler a line.
#[must_use]
pub fn table(entries: &[Entry]) -> String {
    let rows: Vec<[String; 9]> = entries
        .iter()
        .map(|entry| {
            [
                entry.handler.to_owned(),
                format!("{}:{}", entry.file, entry.line),
                entry.policy.unwrap_or("-").to_owned(),
                match entry.origin_set {
                    Some(set) => format!("set {set}: {}", entry.origins.join(" ")),
                    None => entry.origins.join(" "),
                },
                yes_no(entry.credentials),
                yes_no(entry.csrf),
                entry.methods.join(" "),
                list_or_dash(&entry.headers),
                format!(
                    "{} / {}",
                    list_or_dash(&entry.expose),
                    entry
                        .max_age
                        .map_or_else(|| "-".to_owned(), |age| format!("{age}s"))
                ),
            ]
        })
        .collect();
    let header = [
        "handler",
        "location",
        "policy",
        "origins",
        "credentials",
        "csrf",
        "methods",
        "headers",
        "expose / max-age",
    ]
    .map(str::to_owned);
    let mut widths = header.clone().map(|cell| cell.len());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.len());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(widths) {
            let _ = write!(line, "{cell:<width$}  ");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_owned()
}

fn list_or_dash(items: &[String]) -> String {
    if items.is_empty() {
        "-".to_owned()
    } else {
        items.join(" ")
    }
}
