//! The layer's log without the `tracing` feature: every event is dropped where it is made.

use http::HeaderValue;

use crate::{Handler, Policy, Refusal};

/// Nobody listens: a deferred preflight does not keep its method.
pub(crate) const fn refusals_enabled() -> bool {
    false
}

/// A request this policy refused.
#[inline]
pub(crate) fn refused(_: &'static Policy, _: &'static Handler, _: bool, _: Refusal<'_>) {}

/// A request the policy's `csrf` refused.
#[inline]
pub(crate) fn forbidden(_: &'static Handler, _: crate::csrf::Refusal) {}

/// A preflight for a method that no layer on the route lists.
#[inline]
pub(crate) fn unanswered(_: &'static Policy, _: &'static Handler, _: Option<&HeaderValue>) {}

/// A request this policy granted.
#[inline]
pub(crate) fn granted(_: &'static Handler, _: bool) {}

/// A request whose method this policy does not list, left to another layer.
#[inline]
pub(crate) fn passed_on(_: &'static Handler, _: bool, _: &[u8]) {}
