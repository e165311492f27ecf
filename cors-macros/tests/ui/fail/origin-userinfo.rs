use cors_runtime::cors;

#[cors(origins = ["https://user@app.example.com"])]
async fn handler() {}

fn main() {}
