use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = ["TRACK"])]
async fn handler() {}

fn main() {}
