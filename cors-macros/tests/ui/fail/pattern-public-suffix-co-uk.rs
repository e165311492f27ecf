use cors_runtime::cors;

#[cors(origins = ["https://*.co.uk"], credentials)]
async fn handler() {}

fn main() {}
