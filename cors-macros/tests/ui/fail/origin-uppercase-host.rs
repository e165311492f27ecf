use cors_runtime::cors;

#[cors(origins = ["https://App.Example.com"])]
async fn handler() {}

fn main() {}
