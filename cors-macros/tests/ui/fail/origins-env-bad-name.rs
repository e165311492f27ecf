use cors_runtime::cors;

#[cors(origins = env("CORS ORIGINS"))]
async fn handler() {}

fn main() {}
