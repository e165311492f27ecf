use cors_runtime::cors;

#[cors(origins = ["chrome-extension://*"], credentials)]
async fn handler() {}

fn main() {}
