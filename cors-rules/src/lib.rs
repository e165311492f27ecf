//! The rules of the CORS protocol that a policy must satisfy, in one place.
//!
//! `cors-macros` applies them at compile time to the arguments of `#[cors(...)]`, and
//! `cors-runtime` applies the very same functions to values read at startup, so the two can never
//! disagree. Every check returns [`Problem`]s written in rustc's voice: what is wrong, then `;` and
//! what to write instead.
//!
//! - [`origin`]: one configured origin (`"https://app.example.com"`, `"https://*.example.com"`,
//!   `"http://localhost:*"`, `"*"`).
//! - [`method`], [`header`]: method and header names, with the Fetch standard's forbidden lists.
//! - [`policy`]: a whole configuration, with the checks that look at several arguments at once.
//! - [`table`]: the hash that compile time and run time share to look names up in constant time.

pub mod header;
pub mod method;
pub mod origin;
pub mod policy;
mod problem;
pub mod table;
pub mod token;

pub use problem::{Problem, Site};
