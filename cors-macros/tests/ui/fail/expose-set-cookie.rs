use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"], expose = ["set-cookie"])]
async fn handler() {}

fn main() {}
