//! The example app's two servers as routers, so that the end-to-end tests serve exactly what
//! `cargo run -p cors-example` serves.

pub mod api;
pub mod page;
