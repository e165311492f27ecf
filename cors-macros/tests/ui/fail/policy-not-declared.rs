use cors_runtime::cors;

#[cors(policy = FRONTEND)]
async fn handler() {}

fn main() {}
