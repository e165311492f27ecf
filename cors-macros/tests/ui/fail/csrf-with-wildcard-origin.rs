use cors_runtime::cors;

#[cors(origins = ["*"], csrf)]
async fn handler() {}

fn main() {}
