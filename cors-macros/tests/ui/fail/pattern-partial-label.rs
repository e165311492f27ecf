use cors_runtime::cors;

#[cors(origins = ["https://*example.com"])]
async fn handler() {}

fn main() {}
