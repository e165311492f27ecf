use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = [TRACE])]
async fn handler() {}

fn main() {}
