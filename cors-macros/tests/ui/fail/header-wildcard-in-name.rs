use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], headers = ["x-custom-*"])]
async fn handler() {}

fn main() {}
