//! 40 axum handlers, each with its own `#[cors]` policy: what `scripts/bench-build` compiles
//! against the same routes under tower-http (`../tower-http`). It serves them on a free port of
//! 127.0.0.1 when run.

mod handlers;
mod reply;

#[tokio::main]
async fn main() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port on 127.0.0.1");
    axum::serve(listener, handlers::routes())
        .await
        .expect("the server runs until it is stopped");
}
