use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = ["P*"])]
async fn handler() {}

fn main() {}
