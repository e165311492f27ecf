use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET, patch])]
async fn handler() {}

fn main() {}
