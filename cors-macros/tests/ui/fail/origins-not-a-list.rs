use cors_runtime::cors;

#[cors(origins = "https://app.example.com")]
async fn handler() {}

fn main() {}
