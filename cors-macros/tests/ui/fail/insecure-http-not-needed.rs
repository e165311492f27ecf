use cors_runtime::cors;

#[cors(origins = ["https://app.example.com", "http://localhost:3000"], credentials, insecure_http)]
async fn handler() {}

fn main() {}
