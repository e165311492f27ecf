use cors_runtime::cors;

#[cors(origin = ["https://app.example.com"])]
async fn handler() {}

fn main() {}
