//! The outer layers without the `tracing` feature: nothing to warn with, so nothing is kept.

use http::{Request, StatusCode};

use crate::decision::Asked;

/// A CORS request kept for a warning: never, without `tracing`.
#[derive(Debug)]
pub(crate) enum Seen {}

impl Seen {
    /// Nothing is kept.
    pub(crate) const fn of<B>(_: &Asked<'_>, _: &Request<B>) -> Option<Self> {
        None
    }

    /// Never called: there is no `Seen`.
    pub(crate) fn report(self, _: StatusCode, _: bool) {
        match self {}
    }
}
