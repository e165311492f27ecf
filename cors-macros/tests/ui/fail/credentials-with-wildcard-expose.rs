use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], credentials, expose = ["*"])]
async fn handler() {}

fn main() {}
