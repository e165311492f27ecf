use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], credentials, headers = ["*"])]
async fn handler() {}

fn main() {}
