use cors_runtime::cors;

#[cors(origins = ["data:text/html,<p>hi</p>"])]
async fn handler() {}

fn main() {}
