use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], max_age = 604800)]
async fn handler() {}

fn main() {}
