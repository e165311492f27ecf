//! The app of the benchmarks on loopback, for `scripts/bench-load`, which builds this and puts
//! `wrk` in front of it.
//!
//! With `--serve PORT`, serves every variant of the app (no CORS layer, an empty layer,
//! tower-http, `#[cors]`) on `127.0.0.1`, on consecutive ports from `PORT`, and prints one
//! `variant port` line per variant once all of them listen. It runs on one thread, so that the
//! load generator has the other core of a two-core machine. Without `--serve` (as under
//! `cargo bench` or `cargo test --benches`), it does nothing.

use std::io::Write as _;

use tokio::net::TcpListener;
use tokio::task::JoinSet;

use app::Variant;

#[allow(
    dead_code,
    reason = "the outer-layer variants serve the in-process benches; the load test serves the others"
)]
#[path = "support/app.rs"]
mod app;

/// Serves the app with `--serve PORT`; does nothing otherwise.
fn main() {
    let mut args = std::env::args().skip_while(|arg| arg != "--serve").skip(1);
    let Some(port) = args.next() else {
        println!("load: nothing to measure here; `scripts/bench-load` serves this app under wrk");
        return;
    };
    let first: u16 = port
        .parse()
        .unwrap_or_else(|_| panic!("`--serve` takes a port, not `{port}`"));
    tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .expect("a tokio runtime")
        .block_on(serve(first));
}

/// Serves each variant on its port, from `first` on, until killed.
async fn serve(first: u16) {
    let mut servers = JoinSet::new();
    for (port, variant) in (first..).zip(Variant::PER_ROUTE) {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap_or_else(|error| panic!("cannot listen on 127.0.0.1:{port}: {error}"));
        servers.spawn(async move { axum::serve(listener, variant.router()).await });
        println!("{variant} {port}");
    }
    std::io::stdout().flush().expect("writing to stdout");
    while let Some(done) = servers.join_next().await {
        done.expect("a server task").expect("a server");
    }
}
