use cors_runtime::cors;

#[cors(origins = ["chrome-extension://my-extension"])]
async fn handler() {}

fn main() {}
