use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], headers = [CONTENT_TYPE])]
async fn handler() {}

fn main() {}
