//! The origins a policy allows, behind one lookup, and the `Access-Control-Allow-Origin` value
//! they produce.

use std::borrow::Cow;

use cors_rules::origin::{MAX_ORIGIN_LEN, OriginPattern};
use cors_rules::table::{Case, Table};
use http::HeaderValue;

use crate::Refusal;

/// The origins a policy allows: every origin, or a list laid out at compile time or at startup.
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
}

/// The `Access-Control-Allow-Origin` a granted request gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllowOrigin<'r> {
    /// `*`, for an any-origin policy without credentials.
    Any,
    /// A listed origin, sent from the policy's own constant.
    Listed(&'r HeaderValue),
    /// A pattern matched: the request's `Origin`, echoed.
    Echo(&'r HeaderValue),
}

static ANY: HeaderValue = HeaderValue::from_static("*");

impl AllowOrigin<'_> {
    /// The header value to send.
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

    /// Origins known only at startup, laid out now.
    pub(crate) fn owned(exact: Vec<HeaderValue>, patterns: Vec<OriginPattern>) -> Self {
        Self(Source::List {
            exact: Table::new(exact, Case::Sensitive),
            patterns: Cow::Owned(patterns),
        })
    }

    /// Whether these are all origins (`*`).
    pub(crate) const fn is_any(&self) -> bool {
        matches!(self.0, Source::Any)
    }

    /// The exact origins and the patterns, as text; `*` alone for every origin.
    pub(crate) fn texts(&self) -> Vec<String> {
        let Source::List { exact, patterns } = &self.0 else {
            return vec!["*".to_owned()];
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
            Source::List { .. } => None,
        }
    }

    /// Checks the request's one `Origin` value (`repeated` when it came with others).
    pub(crate) fn check<'r>(
        &'r self,
        origin: &'r HeaderValue,
        repeated: bool,
    ) -> Result<AllowOrigin<'r>, Refusal<'r>> {
        let Source::List { exact, patterns } = &self.0 else {
            return Ok(AllowOrigin::Any);
        };
        if repeated {
            return Err(Refusal::RepeatedOrigin);
        }
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
