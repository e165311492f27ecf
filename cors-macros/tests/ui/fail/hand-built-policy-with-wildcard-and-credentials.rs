//! A policy written by hand with every origin and credentials: the constructor's check runs
//! while the `static` is evaluated, so it does not compile.
use cors_runtime::__private::{AllowedOrigins, Policy, Rules};

static POLICY: Policy = Policy::new(
    AllowedOrigins::ANY,
    Rules::new(true, &["GET"], "GET", &[], &[], "", &[], "", ""),
);

fn main() {
    let _ = &POLICY;
}
