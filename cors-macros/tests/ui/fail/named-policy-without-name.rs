use cors_runtime::cors_policy;

cors_policy!(origins = ["https://app.example.com"]);

fn main() {}
