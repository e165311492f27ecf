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

/// One `#[cors]` handler and its policy, as the expansion keeps them, in one `static` a handler,
/// which `handler::policy()` and `handler::layer()` read. `P` is the policy itself, a policy built
/// from the environment, or a reference to a named policy.
pub struct Declaration<P: 'static> {
    handler: Handler,
    policy: P,
}

impl<P: Source + Sync> Declaration<P> {
    /// The declaration of `handler`, whose policy `policy` keeps.
    #[must_use]
    pub const fn new(handler: Handler, policy: P) -> Self {
        Self { handler, policy }
    }

    /// The handler.
    #[must_use]
    pub const fn handler(&'static self) -> &'static Handler {
        &self.handler
    }

    /// What the audit listing and the sets of origins read of this declaration.
    #[must_use]
    pub const fn registration(&'static self) -> Registration {
        Registration {
            handler: &self.handler,
            policy: &self.policy,
        }
    }

    /// The policy: `handler::policy()`.
    ///
    /// # Panics
    /// When its origins are read from an environment variable that is missing or wrong.
    #[must_use]
    pub fn policy(&'static self) -> &'static Policy {
        self.registration().policy()
    }

    /// A layer applying the policy: `handler::layer()`.
    ///
    /// # Panics
    /// As [`policy`](Self::policy).
    #[must_use]
    pub fn layer(&'static self) -> crate::CorsLayer {
        self.registration().layer()
    }
}

impl<P> fmt::Debug for Declaration<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Declaration")
            .field("handler", &self.handler)
            .finish_non_exhaustive()
    }
}

/// One `#[cors]` handler and where its policy is kept, whatever kind of policy it is: what the
/// expansion registers for the audit listing, and what the sets of origins look through.
pub struct Registration {
    handler: &'static Handler,
    policy: &'static (dyn Source + Sync),
}

impl Registration {
    /// The handler.
    pub(crate) const fn handler(&self) -> &'static Handler {
        self.handler
    }

    /// The policy, or why the environment could not give it.
    pub(crate) fn get(&self) -> Result<&'static Policy, &'static EnvError> {
        self.policy.get()
    }

    /// The policy when it is a constant, without building one from the environment.
    pub(crate) fn constant(&self) -> Option<&'static Policy> {
        self.policy.constant()
    }

    /// The policy, panicking with the environment's error if it could not be built.
    pub(crate) fn policy(&self) -> &'static Policy {
        self.get().unwrap_or_else(|error| panic!("{error}"))
    }

    /// A layer applying the policy.
    fn layer(&self) -> crate::CorsLayer {
        crate::CorsLayer::new(self.policy(), self.handler)
    }
}

impl fmt::Debug for Registration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registration")
            .field("handler", &self.handler)
            .finish_non_exhaustive()
    }
}

inventory::collect!(Registration);
