use cors_runtime::{Origins, cors};

const TENANTS: Origins = Origins::new();

#[cors(origins = TENANTS, credentials)]
async fn orders() {}

fn main() {}
