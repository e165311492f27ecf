use cors_runtime::cors;

#[cors(origins = [42])]
async fn handler() {}

fn main() {}
