use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], credentials = false)]
async fn handler() {}

fn main() {}
