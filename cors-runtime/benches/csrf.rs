//! Time, instructions and heap allocations of one cross-origin protection decision
//! (`cors_runtime::csrf::check`), case by case, on the headers a browser sends.
//!
//! - `cargo bench -p cors-runtime --bench csrf`: criterion medians, after checking every case's
//!   verdict and that none allocates (`allocation-counter`; the decision never reaches the
//!   allocator, so counting does not slow what is timed).
//! - Instructions: run the bench binary under callgrind with [`CALLGRIND`] set to a case name.
//!   It then makes [`CALLS`] decisions of that case, each in one call of [`measured`], and exits;
//!   the inclusive count of `measured` divided by [`CALLS`] is one decision, call included:
//!
//! ```sh
//! exe=$(cargo bench -p cors-runtime --bench csrf --no-run 2>&1 | grep -o 'target/[^)]*')
//! CSRF_BENCH_CALLGRIND=cross-site-post valgrind --tool=callgrind --collect-atstart=no \
//!     --toggle-collect='csrf::measured' --callgrind-out-file=/tmp/csrf.out "$exe"
//! callgrind_annotate /tmp/csrf.out | grep 'PROGRAM TOTALS'
//! ```

use std::hint::black_box;
use std::time::Duration;

use cors_runtime::csrf::{self, Pass, Refusal, Site, Verdict};
use criterion::Criterion;
use http::header::{CONNECTION, HOST, ORIGIN, UPGRADE};
use http::{HeaderMap, HeaderValue, Method, Uri};

/// The environment variable naming the case to count under callgrind.
const CALLGRIND: &str = "CSRF_BENCH_CALLGRIND";

/// Decisions made under callgrind.
const CALLS: u32 = 10_000;

/// The origins the policy allows, as a `#[cors]` list of two would.
const ALLOWED: [&[u8]; 2] = [b"https://partner.example", b"http://localhost:3000"];

/// One request and the verdict it must get.
struct Case {
    name: &'static str,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    expected: Verdict,
}

fn case(
    name: &'static str,
    method: Method,
    headers: &[(http::HeaderName, &'static str)],
    expected: Verdict,
) -> Case {
    let mut map = HeaderMap::new();
    map.insert(HOST, HeaderValue::from_static("app.example.com"));
    for (name, value) in headers {
        map.append(name, HeaderValue::from_static(value));
    }
    Case {
        name,
        method,
        uri: Uri::from_static("/transfer"),
        headers: map,
        expected,
    }
}

fn cases() -> [Case; 5] {
    let site = http::HeaderName::from_static("sec-fetch-site");
    let own = "https://app.example.com";
    [
        case(
            "cross-site-post",
            Method::POST,
            &[
                (site.clone(), "cross-site"),
                (ORIGIN, "https://evil.example"),
            ],
            Verdict::Refuse(Refusal::CrossSiteWrite {
                sec_fetch_site: Site::CrossSite,
            }),
        ),
        case(
            "same-origin-post",
            Method::POST,
            &[(site.clone(), "same-origin"), (ORIGIN, own)],
            Verdict::Pass(Pass::SameOrigin),
        ),
        case(
            "origin-is-host-post",
            Method::POST,
            &[(ORIGIN, own)],
            Verdict::Pass(Pass::OriginIsHost),
        ),
        case(
            "websocket-own-origin",
            Method::GET,
            &[
                (UPGRADE, "websocket"),
                (CONNECTION, "Upgrade"),
                (ORIGIN, own),
            ],
            Verdict::Pass(Pass::OriginIsHost),
        ),
        case(
            "plain-get",
            Method::GET,
            &[(site, "same-origin")],
            Verdict::Pass(Pass::SafeMethod),
        ),
    ]
}

/// One decision, behind a call callgrind can find.
#[inline(never)]
fn measured(case: &Case) -> Verdict {
    csrf::check(&case.method, &case.uri, &case.headers, |origin| {
        ALLOWED.contains(&origin)
    })
}

fn main() {
    let cases = cases();
    if let Ok(name) = std::env::var(CALLGRIND) {
        let case = cases.iter().find(|case| case.name == name);
        let case = case.unwrap_or_else(|| panic!("no case named {name:?}"));
        for _ in 0..CALLS {
            black_box(measured(black_box(case)));
        }
        return;
    }
    for case in &cases {
        assert_eq!(measured(case), case.expected, "{}", case.name);
        let counted = allocation_counter::measure(|| {
            black_box(measured(case));
        });
        assert_eq!(counted.count_total, 0, "{} allocates", case.name);
    }
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(30)
        .configure_from_args();
    let mut group = criterion.benchmark_group("csrf");
    for case in &cases {
        group.bench_function(case.name, |bencher| {
            bencher.iter(|| measured(black_box(case)));
        });
    }
    group.finish();
    criterion.final_summary();
}
