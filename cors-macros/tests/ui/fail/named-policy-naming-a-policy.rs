use cors_runtime::cors_policy;

cors_policy!(ADMIN, policy = FRONTEND);

fn main() {}
