use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET, OPTIONS])]
async fn handler() {}

fn main() {}
