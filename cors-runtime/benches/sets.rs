//! Sets of origins refilled at run time: what a lookup costs with 1, 1,000 and 100,000 entries,
//! exact origins and patterns alike; the layer with a set beside the layer with a list in the
//! source; and how long a `replace` of 100,000 entries takes. `BENCHMARKS.md` records the
//! figures.
//!
//! Each lookup case decides 16 requests from origins spread across the set. Times come from
//! criterion, and again from every case timed in turns, round after round, which the machine's
//! drift cannot favour one case in. Instructions come from this binary run again under callgrind,
//! counting only inside [`measured`], in two batches whose difference leaves one lookup's cost
//! without the warm-up, as `benches/cors` counts requests.

use std::env;
use std::hint::black_box;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::header::ORIGIN;
use axum::http::{HeaderMap, HeaderValue, Method, Request};
use axum::routing::get;
use cors_runtime::{Decision, Origins, Policy, Verdict, cors, decide};
use criterion::{BatchSize, Criterion};
use drive::respond;

#[path = "support/drive.rs"]
mod drive;
#[path = "support/dumps.rs"]
mod dumps;

/// Set in the environment of the child run under callgrind.
const CHILD: &str = "CORS_BENCH_SETS_CALLGRIND_CHILD";

/// The smaller callgrind batch; the larger is twice as long.
const BATCH: usize = 200;

/// The benchmark policy of `benches/cors`, with its origins from `$set`.
macro_rules! set_handler {
    ($name:ident, $set:ident) => {
        static $set: Origins = Origins::new();

        #[allow(dead_code, reason = "the lookups measure the handler's policy, not the handler")]
        #[cors(origins = $set, credentials, methods = [GET, POST],
               headers = ["content-type", "x-api-key"], expose = ["x-request-id"], max_age = 600)]
        async fn $name() -> &'static str {
            "ok"
        }
    };
}

set_handler!(exact_1, EXACT_1);
set_handler!(exact_1k, EXACT_1K);
set_handler!(exact_100k, EXACT_100K);
set_handler!(pattern_1, PATTERN_1);
set_handler!(pattern_1k, PATTERN_1K);
set_handler!(pattern_100k, PATTERN_100K);
set_handler!(layer_set, LAYER_SET);

/// The same policy with its one origin written in the source.
#[cors(origins = ["https://tenant000000.example.com"], credentials, methods = [GET, POST],
       headers = ["content-type", "x-api-key"], expose = ["x-request-id"], max_age = 600)]
async fn layer_listed() -> &'static str {
    "ok"
}

/// `count` exact origins, `https://tenant000000.example.com` onwards.
///
/// Numbered with six digits, so that every set's origins have one length: a lookup's cost grows
/// with the length it hashes and compares, and sets of different sizes would otherwise compare
/// names of different lengths as well.
fn exact(count: usize) -> Vec<String> {
    (0..count)
        .map(|i| format!("https://tenant{i:06}.example.com"))
        .collect()
}

/// `count` subdomain patterns, `https://*.tenant000000.shop.example` onwards, numbered as
/// [`exact`] numbers its origins.
fn patterns(count: usize) -> Vec<String> {
    (0..count)
        .map(|i| format!("https://*.tenant{i:06}.shop.example"))
        .collect()
}

/// How many allowed origins each lookup case asks for in turn: one key's probe sequence may be
/// longer or shorter than most, so the cost of one lookup is the mean over keys spread across
/// the set.
const KEYS: usize = 16;

/// One lookup case: a policy whose set holds `size` entries, and [`KEYS`] origins it allows,
/// spread from its first entry to its last (the one entry, `KEYS` times, for a set of one).
struct Lookup {
    name: String,
    policy: &'static Policy,
    requests: Vec<HeaderMap>,
}

/// `handler::policy` of a handler.
type PolicyOf = fn() -> &'static Policy;

fn lookups() -> Vec<Lookup> {
    let sets: [(&str, &Origins, PolicyOf, usize); 6] = [
        ("exact", &EXACT_1, exact_1::policy, 1),
        ("exact", &EXACT_1K, exact_1k::policy, 1_000),
        ("exact", &EXACT_100K, exact_100k::policy, 100_000),
        ("pattern", &PATTERN_1, pattern_1::policy, 1),
        ("pattern", &PATTERN_1K, pattern_1k::policy, 1_000),
        ("pattern", &PATTERN_100K, pattern_100k::policy, 100_000),
    ];
    sets.into_iter()
        .map(|(kind, set, policy, size)| {
            set.replace(if kind == "exact" {
                exact(size)
            } else {
                patterns(size)
            })
            .unwrap();
            let requests = (0..KEYS)
                .map(|key| {
                    let at = (size - 1) * key / (KEYS - 1);
                    let origin = if kind == "exact" {
                        format!("https://tenant{at:06}.example.com")
                    } else {
                        format!("https://eu.tenant{at:06}.shop.example")
                    };
                    let mut headers = HeaderMap::new();
                    headers.insert(ORIGIN, HeaderValue::from_str(&origin).unwrap());
                    headers
                })
                .collect();
            let lookup = Lookup {
                name: format!("{kind} {size}"),
                policy: policy(),
                requests,
            };
            assert_eq!(lookup.allowed(), KEYS);
            lookup
        })
        .collect()
}

impl Lookup {
    /// Decides each of the [`KEYS`] requests; says how many were allowed.
    fn allowed(&self) -> usize {
        self.requests
            .iter()
            .filter(|headers| {
                matches!(
                    black_box(decide(self.policy, &Method::GET, headers)),
                    Decision::Actual(Verdict::Allowed(_))
                )
            })
            .count()
    }
}

/// The layer with a set of one origin, and with the same origin written in the source.
fn routers() -> [(&'static str, Router); 2] {
    LAYER_SET.replace(exact(1)).unwrap();
    let route = |router: Router| router.with_state(());
    [
        (
            "layer with a set",
            route(Router::new().route("/", get(layer_set).layer(layer_set::layer()))),
        ),
        (
            "layer with a list",
            route(Router::new().route("/", get(layer_listed).layer(layer_listed::layer()))),
        ),
    ]
}

fn request() -> Request<Body> {
    Request::get("/")
        .header(ORIGIN, "https://tenant000000.example.com")
        .body(Body::empty())
        .unwrap()
}

fn main() {
    let lookups = lookups();
    let routers = routers();
    if env::var_os(CHILD).is_some() {
        child(&lookups, &routers);
        return;
    }
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
        .configure_from_args();
    let mut group = criterion.benchmark_group("16 set lookups");
    for lookup in &lookups {
        group.bench_function(&lookup.name, |bencher| bencher.iter(|| lookup.allowed()));
    }
    group.finish();
    let mut group = criterion.benchmark_group("set layer");
    for (name, router) in &routers {
        group.bench_function(*name, |bencher| {
            bencher.iter_batched(
                request,
                |request| respond(router, request).status(),
                BatchSize::SmallInput,
            );
        });
    }
    group.finish();
    criterion.final_summary();
    if env::args().any(|arg| arg == "--bench") {
        time_interleaved(&lookups, &routers);
        time_replace();
        count_instructions(&lookups, &routers);
    }
}

/// Rounds of [`time_interleaved`], and calls of one case in each.
const ROUNDS: usize = 101;
const CALLS_PER_ROUND: usize = 1_000;

/// Times the lookup cases and the two layers again, taking turns: each round times every case
/// once, so that the machine's drift over the run (other work, the clock's frequency) falls on
/// every case alike, where criterion measures the cases one after the other. Prints each case's
/// median of the rounds; for exact origins and for patterns, the largest median over the
/// smallest; and the layer with a set over the layer with a list.
fn time_interleaved(lookups: &[Lookup], routers: &[(&'static str, Router)]) {
    let mut cases: Vec<(String, Box<dyn Fn() + '_>)> = Vec::new();
    for lookup in lookups {
        cases.push((
            lookup.name.clone(),
            Box::new(|| {
                black_box(lookup.allowed());
            }),
        ));
    }
    for (name, router) in routers {
        let call = || {
            black_box(respond(router, request()).status());
        };
        cases.push(((*name).to_owned(), Box::new(call)));
    }
    let mut rounds: Vec<Vec<Duration>> = vec![Vec::with_capacity(ROUNDS); cases.len()];
    for _ in 0..ROUNDS {
        for ((_, call), times) in cases.iter().zip(&mut rounds) {
            let started = Instant::now();
            for _ in 0..CALLS_PER_ROUND {
                call();
            }
            times.push(started.elapsed());
        }
    }
    let medians: Vec<(&str, f64)> = cases
        .iter()
        .zip(&mut rounds)
        .map(|((name, _), times)| {
            #[allow(clippy::cast_precision_loss, reason = "far below 2^52 ns")]
            let ns = median(times).as_nanos() as f64 / CALLS_PER_ROUND as f64;
            (name.as_str(), ns)
        })
        .collect();
    println!("taking turns: median of {ROUNDS} rounds of {CALLS_PER_ROUND} calls of each case");
    for (name, median) in &medians {
        println!("  {name}: {median:.0} ns");
    }
    for kind in ["exact", "pattern"] {
        let of_kind = medians.iter().filter(|(name, _)| name.starts_with(kind));
        let (low, high) = of_kind.fold((f64::MAX, 0.0_f64), |(low, high), &(_, median)| {
            (low.min(median), high.max(median))
        });
        println!("  16 {kind} lookups: largest / smallest {:.3}", high / low);
    }
    // the two layers are the last two cases, the set's first
    let (set, list) = (medians[lookups.len()].1, medians[lookups.len() + 1].1);
    println!("  {} / {}: {:.3}", routers[0].0, routers[1].0, set / list);
}

/// The median of `times`, which it sorts.
fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Times `replace` of 100,000 entries, half exact origins and half patterns, on a set a handler
/// with `credentials` uses (the strictest checks): the median of seven.
fn time_replace() {
    let entries: Vec<String> = exact(50_000).into_iter().chain(patterns(50_000)).collect();
    let mut times: Vec<Duration> = (0..7)
        .map(|_| {
            let started = Instant::now();
            LAYER_SET.replace(&entries).unwrap();
            started.elapsed()
        })
        .collect();
    let middle = median(&mut times);
    println!(
        "replace of 100000 entries: median {middle:?} (min {:?}, max {:?})",
        times[0], times[6]
    );
    LAYER_SET.replace(exact(1)).unwrap();
}

/// The child's work under callgrind: two batches of every lookup and layer case.
fn child(lookups: &[Lookup], routers: &[(&'static str, Router)]) {
    for lookup in lookups {
        for size in [BATCH, 2 * BATCH] {
            batch(&|| measured_lookup(lookup), size);
        }
    }
    for (_, router) in routers {
        respond(router, request());
        for size in [BATCH, 2 * BATCH] {
            batch(&|| measured(router, request()), size);
        }
    }
}

/// `size` calls of `work`; callgrind dumps its counts when this returns.
#[inline(never)]
fn batch(work: &dyn Fn(), size: usize) {
    for _ in 0..size {
        work();
    }
}

/// [`KEYS`] lookups: counted by callgrind.
#[inline(never)]
fn measured_lookup(lookup: &Lookup) {
    black_box(lookup.allowed());
}

/// One request through a router: counted by callgrind (the request is built outside).
#[inline(never)]
fn measured(router: &Router, request: Request<Body>) {
    black_box(respond(router, request).status());
}

/// Runs this binary under callgrind and prints the instructions of one lookup or request.
fn count_instructions(lookups: &[Lookup], routers: &[(&'static str, Router)]) {
    let module = module_path!();
    let toggle = format!("{module}::measured*");
    let recorded = dumps::record(
        "cors-bench-sets-callgrind",
        CHILD,
        &toggle,
        &format!("{module}::batch"),
    );
    let mut totals = match recorded {
        Ok(totals) => totals,
        Err(why) => {
            println!("instructions: {why}");
            return;
        }
    };
    let names = lookups.iter().map(|lookup| lookup.name.clone());
    let calls = names
        .map(|name| (name, KEYS))
        .chain(routers.iter().map(|(name, _)| ((*name).to_owned(), 1)));
    for (name, per_batch_call) in calls {
        let (Some(once), Some(twice)) = (totals.next(), totals.next()) else {
            println!("instructions: callgrind wrote fewer dumps than expected");
            return;
        };
        #[allow(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
        let per_call = twice.saturating_sub(once) as f64 / (BATCH * per_batch_call) as f64;
        let what = if per_batch_call == 1 {
            "request"
        } else {
            "lookup"
        };
        println!("instructions per {what}, {name}: {per_call:.1}");
    }
}
