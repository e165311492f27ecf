use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = [CONNECT])]
async fn handler() {}

fn main() {}
