//! The handler a layer belongs to: its name and where it is declared, and where its policy is
//! kept.

use std::fmt;

use crate::env::Source;
use crate::{EnvError, Policy};

/// A `#[cors]` handler: its name and source location, for the `tracing` events that explain
/// refusals and for the [audit listing](crate::audit). Get one with `handler::layer().handler()`.
#[derive(Debug)]
pub struct Handler {
    name: &'static str,
    file: &'static str,
    line: u32,
    policy_name: Option<&'static str>,
}

impl Handler {
    /// The handler `name` at `file:line`, using the named policy `policy_name`, or its own for
    /// `""`.
    #[doc(hidden)]
    #[must_use]
    pub const fn new(
        name: &'static str,
        file: &'static str,
        line: u32,
        policy_name: &'static str,
    ) -> Self {
        Self {
            name,
            file,
            line,
            policy_name: if policy_name.is_empty() {
                None
            } else {
                Some(policy_name)
            },
        }
    }

    /// The handler's name.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The source file the handler is declared in, as `file!()` gives it.
    #[must_use]
    pub const fn file(&self) -> &'static str {
        self.file
    }

    /// The line of the handler's name.
    #[must_use]
    pub const fn line(&self) -> u32 {
        self.line
    }

    /// The name of the named policy the handler uses (`#[cors(policy = FRONTEND)]`), if any.
    #[must_use]
    pub const fn policy_name(&self) -> Option<&'static str> {
        self.policy_name
    }
}

/// One `#[cors]` handler and where its policy is kept: what `handler::policy()`,
/// `handler::layer()` and the audit listing read.
pub struct Declaration {
    handler: &'static Handler,
    policy: &'static (dyn Source + Sync),
}

impl Declaration {
    /// The declaration of `handler`, whose policy `policy` keeps.
    #[must_use]
    pub const fn new(handler: &'static Handler, policy: &'static (dyn Source + Sync)) -> Self {
        Self { handler, policy }
    }

    /// The handler.
    pub(crate) const fn handler(&self) -> &'static Handler {
        self.handler
    }

    /// The policy, or why the environment could not give it.
    pub(crate) fn get(&'static self) -> Result<&'static Policy, &'static EnvError> {
        self.policy.get()
    }

    /// The policy when it is a constant, without building one from the environment.
    pub(crate) fn constant(&'static self) -> Option<&'static Policy> {
        self.policy.constant()
    }

    /// The policy: `handler::policy()`.
    ///
    /// # Panics
    /// When its origins are read from an environment variable that is missing or wrong.
    #[must_use]
    pub fn policy(&'static self) -> &'static Policy {
        self.get().unwrap_or_else(|error| panic!("{error}"))
    }
}

impl fmt::Debug for Declaration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Declaration")
            .field("handler", &self.handler)
            .finish_non_exhaustive()
    }
}

/// One `#[cors]` handler as the expansion registers it for the audit listing.
#[derive(Debug)]
pub struct Registration(pub &'static Declaration);

inventory::collect!(Registration);
