//! A policy written by hand with every origin and `csrf`: the constructor's check runs while the
//! `static` is evaluated, so it does not compile.
use cors_runtime::__private::{AllowedOrigins, Policy, Rules};

static POLICY: Policy = Policy::new(
    AllowedOrigins::ANY,
    Rules::new(false, &["GET"], "GET", &[], &[], "", &[], "", "").with_csrf(),
);

fn main() {
    let _ = &POLICY;
}
