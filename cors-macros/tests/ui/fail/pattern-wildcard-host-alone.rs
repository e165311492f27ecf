use cors_runtime::cors;

#[cors(origins = ["https://*"])]
async fn handler() {}

fn main() {}
