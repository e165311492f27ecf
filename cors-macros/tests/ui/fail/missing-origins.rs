use cors_runtime::cors;

#[cors(credentials, methods = [GET])]
async fn handler() {}

fn main() {}
