//! The rules of the CORS protocol that a policy must satisfy, in one place.
//!
//! `cors-macros` applies them at compile time to the arguments of `#[cors(...)]`, and
//! `cors-runtime` applies the very same functions to values read at startup, so the two can never
//! disagree. Every check returns [`Problem`]s written in rustc's voice: what is wrong, then `;` and
//! what to write instead.
//!
//! - [`origin`]: the origin grammar: one configured origin (`"https://app.example.com"`,
//!   `"https://*.example.com"`, `"http://localhost:*"`, `"*"`), and the serialized `Origin` of a
//!   request matched against patterns byte by byte.
//! - [`method`], [`header`], [`token`]: method and header names, with the Fetch standard's
//!   forbidden lists.
//! - [`config`]: a whole configuration, checked into the form the runtime uses.
//! - `check`: the rules that look at several arguments at once (credentials with `*`).
//! - `render`: the header values a policy sends.
//! - [`table`]: the tables that compile time and run time share to look names up in constant
//!   time, with their one hash and probe sequence.

mod check;
pub mod config;
pub mod header;
pub mod method;
pub mod origin;
mod problem;
mod public_suffix;
mod render;
pub mod table;
pub mod token;

pub use problem::{Problem, Site};
