use cors_runtime::cors;

#[cors(origins = env("CORS_ORIGINS"), insecure_http)]
async fn handler() {}

fn main() {}
