use cors_runtime::cors;

#[cors(origins = ["https://app.example.com", "http://intranet.example.com"], credentials)]
async fn handler() {}

fn main() {}
