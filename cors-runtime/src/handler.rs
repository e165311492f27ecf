//! The handler a layer belongs to: its name and where it is declared.

/// A `#[cors]` handler: its name and source location, for the `tracing` events that explain
/// refusals and for the [audit listing](crate::audit). Get one with `handler::layer().handler()`.
#[derive(Debug)]
pub struct Handler {
    /// The handler's name.
    #[doc(hidden)]
    pub name: &'static str,
    /// The source file the handler is declared in.
    #[doc(hidden)]
    pub file: &'static str,
    /// The line of the handler's name.
    #[doc(hidden)]
    pub line: u32,
    /// The name of the policy it uses, when it is a named one (`#[cors(policy = NAME)]`).
    #[doc(hidden)]
    pub policy_name: Option<&'static str>,
}

impl Handler {
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
