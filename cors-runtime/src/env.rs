//! Allowed origins read from an environment variable at startup (`origins = env("NAME")`),
//! checked by the very same rules as origins written in the attribute.

use std::fmt;
use std::sync::LazyLock;

use cors_rules::config::check_origins;
use cors_rules::{Problem, Site};

use crate::policy::Rules;
use crate::{Handler, Policy, startup};

/// Why the origins in an environment variable cannot be used: the variable, each bad entry and
/// its fix. `handler::layer()` panics with this message at startup, before any request.
#[derive(Debug)]
pub struct EnvError {
    handler: &'static Handler,
    variable: &'static str,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Missing,
    NotUnicode,
    Problems(Problems),
}

/// Each problem with the entry it is about, if any.
pub(crate) type Problems = Vec<(Option<String>, String)>;

/// Builds `handler`'s policy from `rules` and the origins in `variable`: entries separated by
/// commas, spaces around them ignored, checked by the rules of the attribute.
///
/// # Errors
/// When the variable is missing, not UTF-8, or has an entry the attribute would refuse.
pub fn policy_from_env(
    variable: &'static str,
    insecure_http: bool,
    rules: Rules,
    handler: &'static Handler,
) -> Result<Policy, EnvError> {
    let error = |kind| EnvError {
        handler,
        variable,
        kind,
    };
    let value = std::env::var(variable).map_err(|error_kind| {
        error(match error_kind {
            std::env::VarError::NotPresent => Kind::Missing,
            std::env::VarError::NotUnicode(_) => Kind::NotUnicode,
        })
    })?;
    let entries: Vec<&str> = value
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .collect();
    check_origins(&entries, rules.credentials, insecure_http, rules.csrf)
        .map(|checked| Policy::new(startup::origins(checked), rules))
        .map_err(|problems| error(Kind::Problems(describe(&entries, problems))))
}

/// Each problem with the entry it is about, if any.
pub(crate) fn describe(entries: &[&str], problems: Vec<Problem>) -> Problems {
    problems
        .into_iter()
        .map(|problem| {
            let entry = match problem.site {
                Site::Origin(index) => entries.get(index).map(|entry| (*entry).to_owned()),
                _ => None,
            };
            (entry, problem.message)
        })
        .collect()
}

impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            handler,
            variable,
            kind,
        } = self;
        write!(
            f,
            "the CORS policy of `{}` ({}:{}) reads its origins from `{variable}`, ",
            handler.name(),
            handler.file(),
            handler.line()
        )?;
        match kind {
            Kind::Missing => write!(
                f,
                "which is not set; set it to the allowed origins separated by commas, as in `{variable}=https://app.example.com,https://admin.example.com`"
            ),
            Kind::NotUnicode => write!(
                f,
                "which is not valid UTF-8; set it to the allowed origins separated by commas"
            ),
            Kind::Problems(problems) => {
                f.write_str("which has mistakes:")?;
                write_problems(f, problems)
            }
        }
    }
}

/// Writes each problem on a line of its own, after the entry it is about.
pub(crate) fn write_problems(f: &mut fmt::Formatter<'_>, problems: &Problems) -> fmt::Result {
    for (entry, message) in problems {
        match entry {
            Some(entry) => write!(f, "\n  `{entry}`: {message}")?,
            None => write!(f, "\n  {message}")?,
        }
    }
    Ok(())
}

impl std::error::Error for EnvError {}

/// Where a handler's policy is kept: a constant, or a policy built at startup from the
/// environment, which may have failed. A [`Declaration`](crate::route::Declaration) reads either
/// through this.
pub trait Source {
    /// The policy, or why the environment could not give it.
    ///
    /// # Errors
    /// When the policy reads its origins from a variable that is missing or wrong.
    fn get(&'static self) -> Result<&'static Policy, &'static EnvError>;

    /// The policy when it is a constant, which reading does not build: how a set of origins
    /// finds the policies that use it without reading the environment.
    fn constant(&'static self) -> Option<&'static Policy> {
        None
    }
}

impl Source for Policy {
    fn get(&'static self) -> Result<&'static Policy, &'static EnvError> {
        Ok(self)
    }

    fn constant(&'static self) -> Option<&'static Policy> {
        Some(self)
    }
}

/// A named policy, which handlers borrow.
impl<S: Source + ?Sized> Source for &'static S {
    fn get(&'static self) -> Result<&'static Policy, &'static EnvError> {
        (*self).get()
    }

    fn constant(&'static self) -> Option<&'static Policy> {
        (*self).constant()
    }
}

/// A policy built on first use from origins in the environment, or why it could not be.
pub type FromEnv = LazyLock<Result<Policy, EnvError>>;

impl Source for FromEnv {
    fn get(&'static self) -> Result<&'static Policy, &'static EnvError> {
        LazyLock::force(self).as_ref()
    }
}
