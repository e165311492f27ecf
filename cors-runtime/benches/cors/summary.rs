//! The summary table of one run (case × variant → median time, ratios, allocations,
//! instructions) and the targets, computed from it and printed, never asserted: times on a shared
//! machine are too noisy to fail a build on.

use std::collections::HashMap;
use std::env;
use std::fs;
use std::path::PathBuf;
use std::time::SystemTime;

use serde::Deserialize;

use crate::app::Variant;
use crate::callgrind;
use crate::cases::{self, Case};

/// Figures per case and variant, keyed by case name.
pub(crate) type ByCase = HashMap<(&'static str, Variant), f64>;

/// Everything the summary shows, each source on its own, or why it is missing.
pub(crate) struct Figures {
    /// Median time per request, in nanoseconds, from criterion's estimates of this run.
    medians: ByCase,
    /// Instructions per request, from callgrind.
    pub(crate) instructions: Result<ByCase, String>,
    /// Heap allocations per request, from the `allocations` bench.
    pub(crate) allocations: Result<ByCase, String>,
}

impl Figures {
    /// Reads the medians criterion wrote since `started`, counts instructions and reads the
    /// allocation counts.
    pub(crate) fn gather(cases: &[Case], started: SystemTime) -> Self {
        println!("\ncounting instructions per request under callgrind...");
        Self {
            medians: medians(cases, started),
            instructions: callgrind::measure(cases),
            allocations: allocations(cases),
        }
    }
}

/// The part of criterion's `estimates.json` read here.
#[derive(Deserialize)]
struct Estimates {
    /// The median of the time per iteration.
    median: Estimate,
}

/// One of criterion's estimates.
#[derive(Deserialize)]
struct Estimate {
    /// The estimate, in nanoseconds.
    point_estimate: f64,
}

/// Where criterion writes its results: `$CRITERION_HOME`, or `criterion` in the target directory.
fn criterion_home() -> PathBuf {
    env::var_os("CRITERION_HOME").map_or_else(
        || PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("../criterion"),
        PathBuf::from,
    )
}

/// Criterion's median of every benchmark that ran in this process (its file is newer than
/// `started`); a benchmark left out by a filter has none.
fn medians(cases: &[Case], started: SystemTime) -> ByCase {
    let home = criterion_home();
    let mut medians = HashMap::new();
    for case in cases {
        for variant in Variant::ALL {
            let path = home
                .join(case.name)
                .join(variant.name())
                .join("new/estimates.json");
            let fresh = fs::metadata(&path)
                .and_then(|metadata| metadata.modified())
                .is_ok_and(|modified| modified >= started);
            let estimates = fresh
                .then(|| fs::read_to_string(&path).ok())
                .flatten()
                .and_then(|text| serde_json::from_str::<Estimates>(&text).ok());
            if let Some(estimates) = estimates {
                medians.insert((case.name, variant), estimates.median.point_estimate);
            }
        }
    }
    medians
}

/// The counts the `allocations` bench wrote, if it ran after this binary was built.
fn allocations(cases: &[Case]) -> Result<ByCase, String> {
    let path = cases::allocations_file();
    let stale = || {
        format!(
            "no counts newer than this binary in {}; `cargo bench -p cors-runtime` runs the \
             `allocations` bench first",
            path.display()
        )
    };
    let written = fs::metadata(&path)
        .and_then(|metadata| metadata.modified())
        .map_err(|_| stale())?;
    let built = env::current_exe()
        .and_then(fs::metadata)
        .and_then(|metadata| metadata.modified())
        .map_err(|error| format!("cannot date this binary: {error}"))?;
    if written < built {
        return Err(stale());
    }
    let text = fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
    let by_name: HashMap<(&str, &str), f64> = text
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let (case, variant, count) = (fields.next()?, fields.next()?, fields.next()?);
            Some(((case, variant), count.parse().ok()?))
        })
        .collect();
    let mut counts = HashMap::new();
    for case in cases {
        for variant in Variant::ALL {
            if let Some(&count) = by_name.get(&(case.name, variant.name())) {
                counts.insert((case.name, variant), count);
            }
        }
    }
    Ok(counts)
}

/// Prints the summary table and the targets.
pub(crate) fn print(cases: &[Case], figures: &Figures) {
    println!("\n## Summary: per request, one run\n");
    println!(
        "{:<26} {:<12} {:>11} {:>9} {:>12} {:>7} {:>13}",
        "case", "variant", "median", "×no-cors", "×tower-http", "allocs", "instructions"
    );
    for case in cases {
        for variant in Variant::ALL {
            let median = figures.medians.get(&(case.name, variant)).copied();
            let floor = figures.medians.get(&(case.name, Variant::NoCors)).copied();
            let tower = figures
                .medians
                .get(&(case.name, Variant::TowerHttp))
                .copied();
            let label = if variant == Variant::NoCors {
                case.name
            } else {
                ""
            };
            println!(
                "{label:<26} {variant:<12} {:>11} {:>9} {:>12} {:>7} {:>13}",
                median.map_or_else(|| "–".to_owned(), time),
                ratio(median, floor),
                ratio(median, tower),
                found(
                    figures.allocations.as_ref().ok(),
                    case,
                    variant,
                    |n| format!("{n}")
                ),
                found(figures.instructions.as_ref().ok(), case, variant, thousands),
            );
        }
    }
    for (what, source) in [
        ("instructions", &figures.instructions),
        ("allocations", &figures.allocations),
    ] {
        if let Err(why) = source {
            println!("\n{what}: {why}");
        }
    }
    targets(cases, figures);
}

/// Prints every target with the figures it is judged on, and whether this run meets it.
fn targets(cases: &[Case], figures: &Figures) {
    println!("\n## Targets (ratios of this run; printed, not asserted)\n");
    added_cost(cases, figures);
    println!("\n2. no allocation beyond axum's for any layer: ours = empty-layer");
    println!("{:<26} {:>6} {:>12}", "case", "ours", "empty-layer");
    for case in cases {
        let count = |variant| {
            figures
                .allocations
                .as_ref()
                .ok()
                .and_then(|counts| counts.get(&(case.name, variant)).copied())
        };
        let (ours, empty) = (count(Variant::Ours), count(Variant::EmptyLayer));
        println!(
            "{:<26} {:>6} {:>12} {}",
            case.name,
            ours.map_or_else(|| "–".to_owned(), |n| format!("{n}")),
            empty.map_or_else(|| "–".to_owned(), |n| format!("{n}")),
            verdict(ours.zip(empty).map(|(ours, empty)| ours <= empty)),
        );
    }

    println!("\n3. cost independent of the list: ours on 256 origins / ours on 1, within 5%");
    compare(figures, "origins-256", "origins-1", |r| r <= 1.05);

    println!("\n4. a hostile preflight ≤ 10 × an ordinary refused preflight (ours, whole request)");
    for hostile in ["hostile-10k-headers", "hostile-64k-origin"] {
        compare(figures, hostile, "preflight-refused-origin", |r| r <= 10.0);
    }

    println!("\n5. `csrf` adds at most a few hundred instructions to an actual request (ours)");
    for (with, without) in [
        ("csrf-get", "actual-allowed"),
        ("csrf-post-cross-site", "post-cross-site"),
    ] {
        let count = |case| {
            let counts = figures.instructions.as_ref().ok()?;
            counts.get(&(case, Variant::Ours)).copied()
        };
        let added = count(with).zip(count(without)).map(|(a, b)| a - b);
        println!(
            "   {with} − {without}: {} instructions {}",
            signed(added, thousands),
            verdict(added.map(|added| added <= 300.0)),
        );
    }
    crate::outer_layers::print(cases, figures);
}

/// Target 1: the cost of the CORS logic proper, what a layer adds over a layer that does
/// nothing, against tower-http's, judged in instructions; the same in time, and over no layer at
/// all (which counts axum's boxing of a layered route against both), are shown beside.
fn added_cost(cases: &[Case], figures: &Figures) {
    let instructions = figures.instructions.as_ref().ok();
    println!(
        "1. our added cost over the empty layer ≤ 1/4 of tower-http's, in instructions: `(ours − empty-layer) / (tower-http − empty-layer)`"
    );
    println!(
        "   (time: the same in median time; no-cors: the instruction ratio over no layer at all, which counts axum's boxing of a layered route against both; shown, not judged)"
    );
    println!(
        "{:<26} {:>12} {:>12} {:>7} {:<6} {:>11} {:>11} {:>7} {:>8}",
        "case",
        "+instr ours",
        "+instr tower",
        "ratio",
        "",
        "+time ours",
        "+time tower",
        "time",
        "no-cors"
    );
    for case in cases {
        let over = |figures: Option<&ByCase>, variant, base| {
            let figures = figures?;
            Some(figures.get(&(case.name, variant))? - figures.get(&(case.name, base))?)
        };
        let added = |figures, variant| over(figures, variant, Variant::EmptyLayer);
        let strict = quotient(
            over(instructions, Variant::Ours, Variant::NoCors),
            over(instructions, Variant::TowerHttp, Variant::NoCors),
        );
        let (instr_ours, instr_tower) = (
            added(instructions, Variant::Ours),
            added(instructions, Variant::TowerHttp),
        );
        let (time_ours, time_tower) = (
            added(Some(&figures.medians), Variant::Ours),
            added(Some(&figures.medians), Variant::TowerHttp),
        );
        let instr_ratio = quotient(instr_ours, instr_tower);
        println!(
            "{:<26} {:>12} {:>12} {:>7} {:<6} {:>11} {:>11} {:>7} {:>8}",
            case.name,
            signed(instr_ours, thousands),
            signed(instr_tower, thousands),
            fixed(instr_ratio, 3),
            verdict(instr_ratio.map(|r| r <= 0.25)),
            signed(time_ours, time),
            signed(time_tower, time),
            fixed(quotient(time_ours, time_tower), 3),
            fixed(strict, 3),
        );
    }
}

/// Prints ours on case `a` over ours on case `b`, in instructions and in time, judged by `meets`.
fn compare(figures: &Figures, a: &str, b: &str, meets: impl Fn(f64) -> bool) {
    let of = |figures: Option<&ByCase>| {
        let figures = figures?;
        quotient(
            figures.get(&(a, Variant::Ours)).copied(),
            figures.get(&(b, Variant::Ours)).copied(),
        )
    };
    let instr = of(figures.instructions.as_ref().ok());
    let median = of(Some(&figures.medians));
    println!(
        "   {a} / {b}: instructions {} {}, time {} {}",
        fixed(instr, 3),
        verdict(instr.map(&meets)),
        fixed(median, 3),
        verdict(median.map(&meets)),
    );
}

/// A figure of `figures` for this case and variant, formatted, or `–`.
fn found(
    figures: Option<&ByCase>,
    case: &Case,
    variant: Variant,
    format: impl Fn(f64) -> String,
) -> String {
    figures
        .and_then(|figures| figures.get(&(case.name, variant)))
        .map_or_else(|| "–".to_owned(), |&n| format(n))
}

/// `a / b` as `0.00x`, or `–`.
fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    fixed(quotient(a, b), 2)
}

/// `a / b` when both are known and `b` is positive (a difference of noisy times may not be).
fn quotient(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    let (a, b) = (a?, b?);
    (b > 0.0).then(|| a / b)
}

/// A ratio with this many decimals, or `–`: three where it is judged against a target, so that
/// a ratio just over is not printed as the target itself.
fn fixed(ratio: Option<f64>, decimals: usize) -> String {
    ratio.map_or_else(|| "–".to_owned(), |r| format!("{r:.decimals$}"))
}

/// `met`, `MISSED`, or nothing when a figure is missing.
fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "MISSED",
        None => "",
    }
}

/// A difference with its sign, formatted, or `–`.
pub(crate) fn signed(value: Option<f64>, format: impl Fn(f64) -> String) -> String {
    value.map_or_else(
        || "–".to_owned(),
        |v| {
            if v < 0.0 {
                format!("−{}", format(-v))
            } else {
                format!("+{}", format(v))
            }
        },
    )
}

/// Nanoseconds as `850 ns` or `2.31 µs`.
fn time(nanoseconds: f64) -> String {
    if nanoseconds < 1_000.0 {
        format!("{nanoseconds:.0} ns")
    } else {
        format!("{:.2} µs", nanoseconds / 1_000.0)
    }
}

/// A count rounded to a whole number, with thousands separated: `25,712`.
pub(crate) fn thousands(count: f64) -> String {
    let digits = format!("{count:.0}");
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
