use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET, options])]
async fn handler() {}

fn main() {}
