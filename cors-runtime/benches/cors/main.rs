//! Median time, instructions and heap allocations per request of one axum app in six variants
//! (no CORS layer, an empty layer, tower-http's `CorsLayer`, `#[cors]`, and `#[cors]` under
//! `watch()` and under `outer(..)`), case by case, ending with a summary table and the targets. `BENCHMARKS.md` says how to run it and read it.
//!
//! - Times come from criterion, which drives the router in-process through `tower::ServiceExt`.
//! - Instructions come from this same binary run again under callgrind (see [`callgrind`]).
//! - Allocations come from the `allocations` bench, which `cargo bench` runs before this one and
//!   which counts them in a binary of its own, because a counting allocator would slow this one.

use std::time::{Duration, SystemTime};

use criterion::{BatchSize, Criterion};

use app::Variant;
use drive::respond;

#[allow(
    dead_code,
    reason = "the variants the load test serves are named for that bench"
)]
#[path = "../support/app.rs"]
mod app;
mod callgrind;
#[path = "../support/cases.rs"]
mod cases;
#[path = "../support/drive.rs"]
mod drive;
#[path = "../support/dumps.rs"]
mod dumps;
mod outer_layers;
mod summary;

/// Times every case and variant with criterion, then prints the summary; or, as the child run
/// under callgrind, only sends the requests callgrind counts.
fn main() {
    let cases = cases::all();
    if callgrind::is_child() {
        callgrind::child(&cases);
        return;
    }
    let routers = Variant::ALL.map(|variant| (variant, variant.router()));
    cases::verify(&cases, &routers);

    let started = SystemTime::now();
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
        .configure_from_args();
    for case in &cases {
        let mut group = criterion.benchmark_group(case.name);
        for (variant, router) in &routers {
            group.bench_function(variant.name(), |bencher| {
                bencher.iter_batched(
                    || case.request(),
                    // the response is dropped inside the timing, as a server drops it once sent
                    |request| respond(router, request).status(),
                    BatchSize::SmallInput,
                );
            });
        }
        group.finish();
    }
    criterion.final_summary();

    if benchmarking() {
        summary::print(&cases, &summary::Figures::gather(&cases, started));
    }
}

/// Whether this run measures (`cargo bench`), rather than trying each benchmark once
/// (`cargo test --benches`, `-- --test`) or listing them: the same reading of the arguments as
/// criterion's.
fn benchmarking() -> bool {
    let mut bench = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--bench" => bench = true,
            "--test" | "--list" => return false,
            profile if profile.starts_with("--profile-time") => return false,
            _ => {}
        }
    }
    bench
}
