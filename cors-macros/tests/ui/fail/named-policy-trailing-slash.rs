use cors_runtime::cors_policy;

cors_policy!(FRONTEND, origins = ["https://app.example.com/"], credentials);

fn main() {}
