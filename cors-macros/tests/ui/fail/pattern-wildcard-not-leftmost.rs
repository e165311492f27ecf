use cors_runtime::cors;

#[cors(origins = ["https://a.*.example.com"])]
async fn handler() {}

fn main() {}
