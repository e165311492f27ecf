use std::fmt;

/// Where in a configuration a [`Problem`] was found.
///
/// List positions are zero-based indexes into the list the caller passed, so the macro can map
/// them back to the span of the literal and the runtime to the entry of an environment variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Site {
    /// The `origins` list as a whole (for example when it is empty).
    Origins,
    /// One entry of `origins`.
    Origin(usize),
    /// The `credentials` flag.
    Credentials,
    /// The `insecure_http` flag.
    InsecureHttp,
    /// The `csrf` flag.
    Csrf,
    /// The `methods` list as a whole.
    Methods,
    /// One entry of `methods`.
    Method(usize),
    /// One entry of `headers`.
    Header(usize),
    /// One entry of `expose`.
    Expose(usize),
    /// The `max_age` value.
    MaxAge,
}

/// One thing wrong with a configuration, with the fix in the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where the problem is.
    pub site: Site,
    /// The other end of a conflict between two arguments, if the problem is one.
    pub other: Option<Site>,
    /// What is wrong and what to write instead, in rustc's voice (lowercase, no final period).
    pub message: String,
}

impl Problem {
    pub(crate) fn at(site: Site, message: impl Into<String>) -> Self {
        Self {
            site,
            other: None,
            message: message.into(),
        }
    }

    pub(crate) fn between(site: Site, other: Site, message: impl Into<String>) -> Self {
        Self {
            site,
            other: Some(other),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}
