use cors_runtime::cors;

#[cors(origins = ["http://localhost:70000"])]
async fn handler() {}

fn main() {}
