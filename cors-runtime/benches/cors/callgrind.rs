//! Instructions per request, counted by callgrind, which repeat exactly where times do not.
//!
//! This binary runs itself again under `valgrind --tool=callgrind`, with [`CHILD`] set. The child
//! sends every case to every variant in two batches, of [`BATCH`] and twice [`BATCH`] requests,
//! each batch in one call of [`batch`], each request in one call of [`measured`]. Callgrind counts
//! only inside [`measured`] (`--toggle-collect`), so building the requests is left out, and
//! writes its counts after every batch (`--dump-after`); the difference of the two batches
//! divided by [`BATCH`] leaves what one request costs, without the warm-up.
//!
//! Within one child the counts repeat to the instruction, but from one child to the next
//! tower-http's move by up to 400 a request. The child is run [`RUNS`] times and each count is
//! the median of its runs.

use std::collections::HashMap;
use std::env;
use std::hint::black_box;

use axum::Router;
use axum::body::Body;
use axum::http::Request;

use crate::app::Variant;
use crate::cases::Case;
use crate::drive::respond;

/// Set in the environment of the child run under callgrind.
const CHILD: &str = "CORS_BENCH_CALLGRIND_CHILD";

/// The smaller batch; the larger is twice as long.
const BATCH: usize = 50;

/// How many times the child is run; an odd number, so that each median is one run's count.
const RUNS: usize = 5;

/// The only function callgrind counts in, by the name callgrind gives it.
const MEASURED: &str = concat!(module_path!(), "::measured");

/// The function after which callgrind dumps its counts, by its full name: `--dump-after` does not
/// match it by a wildcard as `--toggle-collect` does.
const BATCH_FN: &str = concat!(module_path!(), "::batch");

/// Whether this process is the child run under callgrind.
pub(crate) fn is_child() -> bool {
    env::var_os(CHILD).is_some()
}

/// The variants in the order the child counts them: those without an outer layer first, since
/// making one (`watch()`, `outer(..)`) has every `#[cors]` layer in the process look for its
/// mark on each request from then on, which an app without one never pays.
const ORDER: [&[Variant]; 2] = [&Variant::PER_ROUTE, &Variant::OUTER];

/// The child's work: for each group of variants in [`ORDER`], their routers made, every case
/// against every variant warmed up, and then the two batches, in the order [`measure`] reads
/// the counts back.
pub(crate) fn child(cases: &[Case]) {
    for variants in ORDER {
        let routers: Vec<Router> = variants.iter().map(|variant| variant.router()).collect();
        // lazily initialised state (tracing's call sites, the allocator's pools) settles, for
        // every case before the first is counted: warmed up alone, the first case's empty layer
        // once counted up to 450 instructions more than the same request shape in the next case
        for case in cases {
            for router in &routers {
                for _ in 0..2 {
                    respond(router, case.request());
                }
            }
        }
        for case in cases {
            for router in &routers {
                for size in [BATCH, 2 * BATCH] {
                    batch(router, case, size);
                }
            }
        }
    }
}

/// `size` requests of `case`, each built just before it is measured, as a server reads one just
/// before it handles it; callgrind dumps its counts when this returns.
#[inline(never)]
fn batch(router: &Router, case: &Case, size: usize) {
    for _ in 0..size {
        measured(router, case.request());
    }
}

/// Sends `request` to `router` and drops the response: the only code callgrind counts.
#[inline(never)]
fn measured(router: &Router, request: Request<Body>) {
    black_box(respond(router, request).status());
}

/// Instructions per request of every case and variant, each the median of [`RUNS`] children,
/// or why there are none (no valgrind).
pub(crate) fn measure(cases: &[Case]) -> Result<HashMap<(&'static str, Variant), f64>, String> {
    let runs = (0..RUNS)
        .map(|_| measure_once(cases))
        .collect::<Result<Vec<_>, _>>()?;
    let mut counts = HashMap::new();
    for case in cases {
        for variant in Variant::ALL {
            let key = (case.name, variant);
            let mut each: Vec<f64> = runs.iter().map(|run| run[&key]).collect();
            each.sort_by(f64::total_cmp);
            counts.insert(key, each[RUNS / 2]);
        }
    }
    Ok(counts)
}

/// Instructions per request of every case and variant, from one child.
fn measure_once(cases: &[Case]) -> Result<HashMap<(&'static str, Variant), f64>, String> {
    let mut totals = crate::dumps::record("cors-bench-callgrind", CHILD, MEASURED, BATCH_FN)?;
    let mut counts = HashMap::new();
    let counted = ORDER.into_iter().flat_map(|variants| {
        cases
            .iter()
            .flat_map(move |case| variants.iter().map(move |&variant| (case, variant)))
    });
    for (case, variant) in counted {
        let (Some(once), Some(twice)) = (totals.next(), totals.next()) else {
            return Err("callgrind wrote fewer dumps than expected".to_owned());
        };
        // a batch's count is exact; the two differ by exactly BATCH requests
        #[allow(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
        let per_request = twice.saturating_sub(once) as f64 / BATCH as f64;
        counts.insert((case.name, variant), per_request);
    }
    Ok(counts)
}
