use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = [GET, 405])]
async fn handler() {}

fn main() {}
