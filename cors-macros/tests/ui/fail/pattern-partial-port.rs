use cors_runtime::cors;

#[cors(origins = ["http://localhost:3*"])]
async fn handler() {}

fn main() {}
