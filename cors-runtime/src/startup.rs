//! Origins known only when the application runs, from the environment (`origins = env("NAME")`)
//! or a set refilled while it runs (`origins = SET`), laid out from the values `cors-rules`
//! checked, by one function for both.

use cors_rules::config::Origins as Checked;
use cors_rules::origin::Index;
use http::HeaderValue;

use crate::Refusal;
use crate::origin::{AllowOrigin, AllowedOrigins};

/// Checked origins laid out for lookups: `*`, or an [`Index`] of origins and patterns.
#[derive(Debug)]
pub(crate) enum Lookup {
    /// `*`: every origin.
    Any,
    /// Listed origins and patterns.
    Listed(Index),
}

/// The lookup form of checked origins: what an environment variable and a set both become.
pub(crate) fn lookup(checked: Checked) -> Lookup {
    match checked {
        Checked::Any => Lookup::Any,
        Checked::List { exact, patterns } => Lookup::Listed(Index::new(exact, patterns)),
    }
}

/// The runtime form of origins checked at startup.
pub(crate) fn origins(checked: Checked) -> AllowedOrigins {
    match lookup(checked) {
        Lookup::Any => AllowedOrigins::ANY,
        Lookup::Listed(index) => AllowedOrigins::loaded(index),
    }
}

impl Lookup {
    /// Whether the serialized origin `origin` is allowed.
    pub(crate) fn allows(&self, origin: &[u8]) -> bool {
        match self {
            Self::Any => true,
            Self::Listed(index) => index.allows(origin),
        }
    }

    /// The answer to a request from `origin`.
    pub(crate) fn check<'r>(
        &self,
        origin: &'r HeaderValue,
    ) -> Result<AllowOrigin<'r>, Refusal<'r>> {
        match self {
            Self::Any => Ok(AllowOrigin::Any),
            Self::Listed(index) => check(index, origin),
        }
    }

    /// The origins and patterns as configured, or `*` alone.
    pub(crate) fn texts(&self) -> Vec<String> {
        match self {
            Self::Any => vec!["*".to_owned()],
            Self::Listed(index) => texts(index),
        }
    }
}

/// The answer of `index` to a request from `origin`: the request's own `Origin`, byte-equal to
/// the entry or pattern match that allowed it, echoed.
pub(crate) fn check<'r>(
    index: &Index,
    origin: &'r HeaderValue,
) -> Result<AllowOrigin<'r>, Refusal<'r>> {
    if index.allows(origin.as_bytes()) {
        Ok(AllowOrigin::Echo(origin))
    } else {
        Err(Refusal::OriginNotAllowed(origin))
    }
}

/// The exact origins, then the patterns, as configured.
pub(crate) fn texts(index: &Index) -> Vec<String> {
    let patterns = index.patterns().iter().map(ToString::to_string);
    index.exact().iter().cloned().chain(patterns).collect()
}
