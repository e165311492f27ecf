//! Heap allocations per request of every case and variant of the `cors` bench, counted by
//! `allocation-counter`'s global allocator.
//!
//! A binary of its own, because a counting allocator would slow every allocation in the timings
//! and the instruction counts of `benches/cors`. It prints its table and writes the counts where
//! the summary of `benches/cors` reads them (`cargo bench` runs this bench first). Run it alone
//! with `cargo bench -p cors-runtime --bench allocations`.

use std::fmt::Write as _;
use std::fs;
use std::hint::black_box;

use app::Variant;
use drive::respond;

#[allow(
    dead_code,
    reason = "the variants the load test serves are named for that bench"
)]
#[path = "support/app.rs"]
mod app;
#[path = "support/cases.rs"]
mod cases;
#[path = "support/drive.rs"]
mod drive;

/// Requests counted per case and variant; every one allocates the same.
const REQUESTS: u32 = 10;

/// Counts, prints and writes the allocations per request of every case and variant.
fn main() {
    let cases = cases::all();
    let routers = Variant::ALL.map(|variant| (variant, variant.router()));
    cases::verify(&cases, &routers);

    let mut file = String::new();
    print!("\nheap allocations per request\n{:<26}", "case");
    for variant in Variant::ALL {
        print!(" {variant:>12}");
    }
    println!();
    for case in &cases {
        print!("{:<26}", case.name);
        for (variant, router) in &routers {
            // lazily initialised state settles before counting
            respond(router, case.request());
            let requests: Vec<_> = (0..REQUESTS).map(|_| case.request()).collect();
            let counted = allocation_counter::measure(|| {
                for request in requests {
                    black_box(respond(router, request).status());
                }
            });
            #[allow(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
            let per_request = counted.count_total as f64 / f64::from(REQUESTS);
            print!(" {per_request:>12}");
            writeln!(file, "{}\t{variant}\t{per_request}", case.name).expect("writing to a string");
        }
        println!();
    }
    let path = cases::allocations_file();
    fs::write(&path, file)
        .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
}
