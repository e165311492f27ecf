//! The example app and end-to-end tests of `cors-runtime`; this crate is never published.
