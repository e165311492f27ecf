//! A policy cannot be written field by field: its fields are private.
use cors_runtime::Policy;

static POLICY: Policy = Policy {
    origins: cors_runtime::__private::AllowedOrigins::ANY,
};

fn main() {
    let _ = &POLICY;
}
