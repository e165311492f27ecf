use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], methods = ["*", DELETE])]
async fn handler() {}

fn main() {}
