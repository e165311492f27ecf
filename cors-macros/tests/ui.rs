//! What `#[cors]` accepts and refuses at compile time.
//!
//! Each `ui/fail` case makes one mistake (or, once, three) and its `.stderr` is the diagnostic the
//! user sees; each `ui/pass` case is one supported way of using the attribute, built into an axum
//! `Router` and run. The snapshots were made with rustc 1.95: regenerate them with
//! `TRYBUILD=overwrite cargo test -p cors-macros --test ui` and review the diff like code.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
