//! End-to-end tests of `cors-runtime` live in this package's `browser` test; this library only
//! carries the README, so that `cargo test --workspace` runs its examples as doc tests.

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct Readme;
