use cors_runtime::cors;

#[cors(origins = env(CORS_ORIGINS))]
async fn handler() {}

fn main() {}
