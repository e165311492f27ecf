use axum::Router;
use axum::routing::post;
use cors_runtime::cors;

#[cors(origins = ["https://app.example.com/"], methods = [GET, POST], headers = ["content-type"])]
async fn create_item(body: String) -> String {
    body
}

fn main() {
    let _app: Router = Router::new().route("/items", post(create_item).layer(create_item::layer()));
}
