//! The browser model against real `#[cors]` handlers.
