use cors_runtime::cors;

static TENANTS: [&str; 1] = ["https://acme.example.com"];

#[cors(origins = TENANTS, credentials)]
async fn orders() {}

fn main() {}
