use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = ["GET POST"])]
async fn handler() {}

fn main() {}
