use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = ["get"])]
async fn handler() {}

fn main() {}
