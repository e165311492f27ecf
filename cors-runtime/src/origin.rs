//! The origins a policy allows, behind one lookup, and the `Access-Control-Allow-Origin` value
//! they produce.

use std::borrow::Cow;

use cors_rules::origin::{Index, MAX_ORIGIN_LEN, OriginPattern};
use cors_rules::table::{Case, Table};
use http::HeaderValue;

use crate::{Origins, Refusal, startup};

/// The origins a policy allows: every origin, a list laid out at compile time or at startup, or
/// a set that changes at run time.
///
/// Wherever the origins come from, they are looked up by one method, `check`, alone.
#[derive(Debug)]
pub struct AllowedOrigins(Source);

#[derive(Debug)]
enum Source {
    /// `*`: every origin, never with credentials.
    Any,
    /// Listed origins.
    List {
        /// Exact serialized origins; the entry itself becomes `Access-Control-Allow-Origin`.
        exact: Table<HeaderValue>,
        /// Patterns, tried in order when no exact origin matched.
        patterns: Cow<'static, [OriginPattern]>,
    },
    /// Origins read at startup, laid out as a set's are.
    Loaded(Index),
    /// A set that changes at run time.
    Set {
        /// The set.
        set: &'static Origins,
        /// Its name, as the attribute writes it.
        name: &'static str,
        /// Whether the policy says `insecure_http`, which the set's entries are checked against.
        insecure_http: bool,
    },
}

/// The `Access-Control-Allow-Origin` a granted request gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllowOrigin<'r> {
    /// `*`, for an any-origin policy without credentials.
    Any,
    /// A listed origin, sent from the policy's own constant.
    Listed(&'r HeaderValue),
    /// A pattern or an origin loaded at run time matched: the request's `Origin`, byte-equal to
    /// what allowed it, echoed.
    Echo(&'r HeaderValue),
}

static ANY: HeaderValue = HeaderValue::from_static("*");

impl AllowOrigin<'_> {
    /// The header value to send.
    #[inline]
    pub(crate) fn value(self) -> HeaderValue {
        let value: &HeaderValue = match self {
            Self::Any => &ANY,
            Self::Listed(value) | Self::Echo(value) => value,
        };
        value.clone()
    }
}

impl AllowedOrigins {
    /// Every origin: `origins = ["*"]`.
    pub const ANY: Self = Self(Source::Any);

    /// Origins written out by `#[cors]`: `exact` with the `slots` that
    /// [`cors_rules::table::layout`] gave for them, then `patterns`.
    #[must_use]
    pub const fn listed(
        exact: &'static [HeaderValue],
        slots: &'static [u16],
        patterns: &'static [OriginPattern],
    ) -> Self {
        Self(Source::List {
            exact: Table::laid_out(exact, slots, Case::Sensitive),
            patterns: Cow::Borrowed(patterns),
        })
    }

    /// The origins of the set `set`, named `name` in the attribute, for a policy that says
    /// `insecure_http` or not: `origins = TENANTS`.
    ///
    /// `set` must be a `static`, so that every policy naming it shares it; `#[cors]` writes
    /// `&TENANTS` here, and anything else than an [`Origins`] `static` fails to compile there.
    #[must_use]
    pub const fn set(set: &'static Origins, name: &'static str, insecure_http: bool) -> Self {
        Self(Source::Set {
            set,
            name,
            insecure_http,
        })
    }

    /// Origins known only at startup, laid out now.
    pub(crate) fn loaded(index: Index) -> Self {
        Self(Source::Loaded(index))
    }

    /// The set these origins are, with its name and whether the policy says `insecure_http`.
    pub(crate) fn set_used(&self) -> Option<(&'static Origins, &'static str, bool)> {
        match self.0 {
            Source::Set {
                set,
                name,
                insecure_http,
            } => Some((set, name, insecure_http)),
            _ => None,
        }
    }

    /// Whether these are all origins (`*`).
    pub(crate) const fn is_any(&self) -> bool {
        matches!(self.0, Source::Any)
    }

    /// The exact origins and the patterns, as text; `*` alone for every origin.
    pub(crate) fn texts(&self) -> Vec<String> {
        let (exact, patterns) = match &self.0 {
            Source::Any => return vec!["*".to_owned()],
            Source::Loaded(index) => return startup::texts(index),
            Source::Set { set, .. } => return set.entries(),
            Source::List { exact, patterns } => (exact, patterns),
        };
        let exact = exact
            .entries()
            .iter()
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        exact
            .chain(patterns.iter().map(ToString::to_string))
            .collect()
    }

    /// The answer to a request without `Origin`, if it gets one: `*` is the one answer that
    /// depends on nothing, sent on every response whether there is an `Origin` or not; listed
    /// origins have nothing to say to a request that is not a CORS request.
    pub(crate) const fn without_origin(&self) -> Option<AllowOrigin<'static>> {
        match self.0 {
            Source::Any => Some(AllowOrigin::Any),
            Source::List { .. } | Source::Loaded(_) | Source::Set { .. } => None,
        }
    }

    /// Checks the request's one `Origin` value (`repeated` when it came with others).
    pub(crate) fn check<'r>(
        &'r self,
        origin: &'r HeaderValue,
        repeated: bool,
    ) -> Result<AllowOrigin<'r>, Refusal<'r>> {
        let (exact, patterns) = match &self.0 {
            Source::Any => return Ok(AllowOrigin::Any),
            _ if repeated => return Err(Refusal::RepeatedOrigin),
            Source::List { exact, patterns } => (exact, patterns),
            Source::Loaded(index) => return startup::check(index, origin),
            Source::Set { set, .. } => return set.check(origin),
        };
        let bytes = origin.as_bytes();
        // nothing longer can match, and patterns would scan it
        if bytes.len() <= MAX_ORIGIN_LEN {
            if let Some(listed) = exact.find(bytes) {
                return Ok(AllowOrigin::Listed(listed));
            }
            if patterns.iter().any(|pattern| pattern.matches(bytes)) {
                return Ok(AllowOrigin::Echo(origin));
            }
        }
        Err(Refusal::OriginNotAllowed(origin))
    }
}
