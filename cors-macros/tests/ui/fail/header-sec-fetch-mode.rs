use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], headers = ["sec-fetch-mode"])]
async fn handler() {}

fn main() {}
