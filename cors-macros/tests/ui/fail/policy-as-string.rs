use cors_runtime::{cors, cors_policy};

cors_policy!(FRONTEND, origins = ["https://app.example.com"]);

#[cors(policy = "FRONTEND")]
async fn handler() {}

fn main() {}
