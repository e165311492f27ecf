use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], credentials, methods = ["*"])]
async fn handler() {}

fn main() {}
