use cors_runtime::cors;

#[cors(origins = ["http://intranet.example.com"], insecure_http)]
async fn handler() {}

fn main() {}
