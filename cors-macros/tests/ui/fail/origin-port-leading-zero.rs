use cors_runtime::cors;

#[cors(origins = ["http://localhost:03000"])]
async fn handler() {}

fn main() {}
