//! What `cors_runtime::watch()` and `cors_runtime::outer(..)` add to a request, over the `#[cors]`
//! app of the `cors` bench alone: heap allocations per request of every case, and, under
//! callgrind, instructions.
//!
//! - `cargo bench -p cors-runtime --bench outer`: prints the allocations per request of each case
//!   with the `#[cors]` layers alone, under `watch()` and under `outer(..)`.
//! - Instructions: run the bench binary under callgrind with [`CALLGRIND`] set to
//!   `case/setup` (`actual-allowed/watch`); it then answers [`CALLS`] requests of that case, each
//!   in one call of [`measured`], and exits. The inclusive count of `measured` divided by
//!   [`CALLS`] is one request:
//!
//! ```sh
//! exe=$(cargo bench -p cors-runtime --bench outer --no-run 2>&1 | grep -o 'target/[^)]*')
//! OUTER_BENCH_CALLGRIND=actual-allowed/watch valgrind --tool=callgrind --collect-atstart=no \
//!     --toggle-collect='outer::measured' --callgrind-out-file=/tmp/outer.out "$exe"
//! callgrind_annotate /tmp/outer.out | grep 'PROGRAM TOTALS'
//! ```

use std::hint::black_box;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use cors_runtime::cors_policy;

use app::Variant;

#[allow(
    dead_code,
    reason = "the list of every variant serves the other benches"
)]
#[path = "support/app.rs"]
mod app;
#[allow(
    dead_code,
    reason = "the check of every variant and the file of counts serve other benches"
)]
#[path = "support/cases.rs"]
mod cases;
#[path = "support/drive.rs"]
mod drive;

/// The environment variable naming the case and setup to count under callgrind.
const CALLGRIND: &str = "OUTER_BENCH_CALLGRIND";

/// Requests answered under callgrind, and counted per case for allocations.
const CALLS: u32 = 1_000;

cors_policy!(
    APP,
    origins = ["https://app.example.com", "http://localhost:3000"],
    credentials,
    methods = [GET, POST],
    headers = ["content-type", "x-api-key"],
    expose = ["x-request-id"],
    max_age = 600
);

/// The app of the `cors` bench with `#[cors]` on every route, alone and with each outer layer.
fn setups() -> [(&'static str, Router); 3] {
    let ours = Variant::Ours.router();
    [
        ("alone", ours.clone()),
        ("watch", ours.clone().layer(cors_runtime::watch())),
        ("outer", ours.layer(cors_runtime::outer(&APP))),
    ]
}

/// One request, behind a call callgrind can find.
#[inline(never)]
fn measured(router: &Router, request: Request<Body>) -> u16 {
    drive::respond(router, request).status().as_u16()
}

fn main() {
    let cases = cases::all();
    let setups = setups();
    if let Ok(name) = std::env::var(CALLGRIND) {
        let (case, setup) = name.split_once('/').expect("`case/setup`");
        let case = cases.iter().find(|c| c.name == case).expect("a case");
        let (_, router) = setups.iter().find(|(s, _)| *s == setup).expect("a setup");
        let requests: Vec<_> = (0..CALLS).map(|_| case.request()).collect();
        measured(router, case.request());
        for request in requests {
            black_box(measured(router, request));
        }
        return;
    }
    print!("\nheap allocations per request\n{:<26}", "case");
    for (setup, _) in &setups {
        print!(" {setup:>8}");
    }
    println!();
    for case in &cases {
        print!("{:<26}", case.name);
        for (_, router) in &setups {
            measured(router, case.request());
            let requests: Vec<_> = (0..CALLS).map(|_| case.request()).collect();
            let counted = allocation_counter::measure(|| {
                for request in requests {
                    black_box(measured(router, request));
                }
            });
            #[allow(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
            let per_request = counted.count_total as f64 / f64::from(CALLS);
            print!(" {per_request:>8}");
        }
        println!();
    }
}
