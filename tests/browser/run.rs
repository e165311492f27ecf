//! Runs scenarios in every engine and compares what happened with what should have.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use axum::Router;
use axum::response::Html;
use axum::routing::get;

use crate::call::{Call, cors_error};
use crate::engine::{Engine, Judge};
use crate::model;
use crate::scenario::{Observed, Scenario};
use crate::servers::Servers;
use crate::session::Session;

/// How long an engine may take to log the CORS errors of a page's blocked calls.
const CONSOLE_WAIT: Duration = Duration::from_secs(5);

/// The page the calls are made from: it does nothing itself.
const PAGE: &str = "<!doctype html><title>browser scenarios</title><link rel=icon href=data:,>";

/// A page of one origin, and the calls it makes, in order.
pub(crate) type Visit<'s> = (&'s str, &'s [Scenario]);

/// Runs `scenarios` from a page served at `origin` in every engine; see [`run`].
pub(crate) fn run_from(origin: &str, scenarios: &[Scenario]) {
    run(&Servers::start(), &[(origin, scenarios)]);
}

/// Opens the pages of `visits` in turn, in one fresh session per engine, makes their calls,
/// and fails with every difference between what should have happened and what did; the report
/// of every scenario is printed either way. Pages already served on `servers` stay as they are;
/// the others get a blank page.
///
/// Every call has a URL of its own (its query names the engine and the scenario), so no
/// preflight an engine cached for one scenario can answer another: the preflight cache is keyed
/// by URL (fetch `#concept-cache-match`), and the API's answers, which each scenario lists,
/// show every preflight that was sent.
pub(crate) fn run(servers: &Servers, visits: &[Visit<'_>]) {
    for (origin, _) in visits {
        servers.network.serve_missing(origin, page());
    }
    let mut report = String::new();
    let mut failed = 0;
    let mut seen = Vec::new();
    for engine in Engine::ALL {
        let Some(installed) = engine.find() else {
            continue;
        };
        let started = Instant::now();
        let driver = installed.start();
        let (observed, session) = servers.network.runtime().block_on(async {
            let mut session = Session::open(&installed, &driver, servers.network.proxy()).await;
            let observed = drive(servers, &mut session, visits).await;
            (observed, session)
        });
        let _ = writeln!(
            report,
            "{} ({:.1} s):",
            engine.name(),
            started.elapsed().as_secs_f64()
        );
        let judge = Judge::Engine(engine);
        let console = session.console();
        failed += compare(servers, (judge, console), visits, &observed, &mut report);
        servers.network.runtime().block_on(session.close());
        seen.push((judge, observed));
    }
    let started = Instant::now();
    let (observed, console) = servers
        .network
        .runtime()
        .block_on(model::drive(servers, visits));
    let _ = writeln!(
        report,
        "Model, cors_runtime::browser ({:.1} s):",
        started.elapsed().as_secs_f64()
    );
    failed += compare(
        servers,
        (Judge::Model, &console),
        visits,
        &observed,
        &mut report,
    );
    seen.push((Judge::Model, observed));
    failed += disagreements(visits, &seen, &mut report);
    println!("{report}");
    assert!(failed == 0, "{failed} failures:\n{report}");
}

/// The site of a page the calls are made from.
pub(crate) fn page() -> Router {
    Router::new().route("/", get(|| async { Html(PAGE) }))
}

/// The URL of scenario `index` of visit `visit` for `judge`.
pub(crate) fn url(
    servers: &Servers,
    judge: Judge,
    (visit, index): (usize, usize),
    call: &Call,
) -> String {
    let judge = judge.name().to_lowercase();
    let api = servers.api(call.api);
    format!("{api}{}?scenario={judge}-{visit}-{index}", call.path)
}

/// Makes every call of `visits` in `session` (the last time, for calls made more than once, is
/// the one that counts), then waits for the console to name each blocked
/// call.
async fn drive(
    servers: &Servers,
    session: &mut Session,
    visits: &[Visit<'_>],
) -> Vec<Vec<Observed>> {
    let mut all = Vec::new();
    let mut blocked = Vec::new();
    for (visit, (origin, scenarios)) in visits.iter().enumerate() {
        let page = format!("{origin}/");
        session.client.goto(&page).await.unwrap_or_else(|error| {
            panic!("{} cannot open {page}: {error}", session.engine.name())
        });
        let mut observed = Vec::new();
        for (index, scenario) in scenarios.iter().enumerate() {
            let url = url(
                servers,
                session.engine.into(),
                (visit, index),
                &scenario.call,
            );
            let mut seen = session.fetch(&url, &scenario.call).await;
            for _ in 1..scenario.call.times {
                seen = session.fetch(&url, &scenario.call).await;
            }
            if matches!(seen, Observed::Blocked { .. }) {
                blocked.push(url);
            }
            observed.push(seen);
        }
        all.push(observed);
    }
    let deadline = Instant::now() + CONSOLE_WAIT;
    loop {
        session.read_console().await;
        let named =
            |url: &String| cors_error(session.engine.into(), session.console(), url).is_some();
        if blocked.iter().all(named) || Instant::now() >= deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    all
}

/// Compares what `judge`, whose console said `console`, saw of `visits` with what should have
/// happened, writes it all to `report`, and returns how many scenarios failed.
fn compare(
    servers: &Servers,
    (judge, console): (Judge, &str),
    visits: &[Visit<'_>],
    observed: &[Vec<Observed>],
    report: &mut String,
) -> usize {
    let answers = servers.answers();
    let mut failed = 0;
    for (visit, ((origin, scenarios), observed)) in visits.iter().zip(observed).enumerate() {
        let _ = writeln!(report, "  from {origin}:");
        for (index, (scenario, observed)) in scenarios.iter().zip(observed).enumerate() {
            let url = url(servers, judge, (visit, index), &scenario.call);
            let query = url.split_once('?').map(|(_, query)| query);
            let mine: Vec<_> = answers
                .iter()
                .filter(|answer| answer.query.as_deref() == query)
                .collect();
            let exchanges: Vec<&str> = mine.iter().map(|answer| answer.exchange.as_str()).collect();
            let said = cors_error(judge, console, &url);
            let mut problems = scenario.problems(judge, observed, said, &exchanges);
            for answer in &mine {
                if answer.origin.as_deref() != Some(origin) {
                    problems.push(format!("the API got a request from {:?}", answer.origin));
                }
            }
            failed += usize::from(!problems.is_empty());
            let mark = if problems.is_empty() { "ok  " } else { "FAIL" };
            let api: Vec<String> = mine.iter().map(|answer| answer.summary()).collect();
            let _ = writeln!(report, "  {mark} {}", scenario.name);
            let _ = writeln!(
                report,
                "         browser: {}; API: {}",
                observed.summary(said),
                api.join(", ")
            );
            for problem in problems {
                let _ = writeln!(report, "         {problem}");
            }
        }
    }
    failed
}

/// Checks that every engine that ran, and the model, saw the same of each call: blocked, or the
/// same status and the same readable headers. Writes the differences to `report` and returns
/// how many scenarios have one.
fn disagreements(
    visits: &[Visit<'_>],
    seen: &[(Judge, Vec<Vec<Observed>>)],
    report: &mut String,
) -> usize {
    let Some(((first, expected), others)) = seen.split_first() else {
        return 0;
    };
    let mut failed = 0;
    for (visit, (_, scenarios)) in visits.iter().enumerate() {
        for (index, scenario) in scenarios.iter().enumerate() {
            let readable = expected[visit][index].readable();
            let differ: Vec<String> = others
                .iter()
                .filter(|(_, observed)| observed[visit][index].readable() != readable)
                .map(|(judge, observed)| {
                    format!("{}: {:?}", judge.name(), observed[visit][index].readable())
                })
                .collect();
            if !differ.is_empty() {
                failed += 1;
                let _ = writeln!(
                    report,
                    "FAIL the engines and the model disagree on {:?}: {}: {readable:?}; {}",
                    scenario.name,
                    first.name(),
                    differ.join("; ")
                );
            }
        }
    }
    failed
}
