use cors_runtime::cors_policy;

cors_policy!(pub FRONTEND, origins = ["https://app.example.com"], credentials, headers = ["*"]);

fn main() {}
