//! The example's own page, opened where the README says, in every engine.

use std::time::{Duration, Instant};

use cors_example::page;

use serde_json::Value;

use crate::engine::{Engine, Installed};
use crate::servers::{API, Servers};
use crate::session::Session;

/// Where the example's page is served, which most of its policies list.
const PAGE: &str = "http://localhost:3000";

/// How long the page may take to make its calls.
const FINISH: Duration = Duration::from_secs(30);

/// The page's rows once it is done: each call, its verdict and the status the page read.
const ROWS: &str = r#"
if (document.body.dataset.finished !== "true") return null;
const rows = [...document.querySelectorAll("tr[data-call]")]
  .map((row) => [row.dataset.call, row.dataset.verdict, row.dataset.status || ""]);
return { rows, text: document.body.textContent };
"#;

/// The page shows the verdicts it should in every engine, and reads the exposed header only.
#[test]
fn the_example_page_shows_what_the_browser_allowed_and_blocked() {
    let servers = Servers::start();
    // the page's frame shows it from a second origin, here a name for the same site
    let other = "http://other.test";
    let site = page::router(&page::Origins {
        api: API.to_owned(),
        page: PAGE.to_owned(),
        other: other.to_owned(),
    });
    servers.network.serve(PAGE, site.clone());
    servers.network.serve(other, site);
    let expected = [
        ("hello", "allowed", "200"),
        ("create-item", "allowed", "200"),
        ("list-items", "allowed", "200"),
        ("public", "allowed", "200"),
        ("public-credentials", "blocked", ""),
        ("account-credentials", "allowed", "200"),
        ("hello-credentials", "blocked", ""),
        ("api-key", "allowed", "200"),
        ("other-header", "blocked", ""),
        ("read-item", "allowed", "200"),
        ("delete-item", "allowed", "204"),
        ("put-item", "blocked", ""),
        ("health", "blocked", ""),
    ]
    .map(|(call, verdict, status)| [call, verdict, status].map(str::to_owned).to_vec())
    .to_vec();
    for engine in Engine::ALL {
        let Some(installed) = engine.find() else {
            continue;
        };
        let page = finished_page(&servers, &installed);
        let name = engine.name();
        assert!(!page.is_null(), "{name}: the page did not finish its calls");
        let rows: Vec<Vec<String>> =
            serde_json::from_value(page["rows"].clone()).expect("rows of three strings");
        assert_eq!(rows, expected, "{name}: the page's verdicts");
        let text = page["text"].as_str().unwrap_or_default();
        assert!(
            text.contains(r#"x-total-count: "2" · x-powered-by: null"#),
            "{name}: the page reads the exposed header and not the other:\n{text}"
        );
    }
}

/// Opens the example's page in a fresh session of `installed`'s engine and returns its rows and
/// text once it has made its calls, or `null` if it did not within [`FINISH`].
fn finished_page(servers: &Servers, installed: &Installed) -> Value {
    let driver = installed.start();
    servers.network.runtime().block_on(async {
        let session = Session::open(installed, &driver, servers.network.proxy()).await;
        session
            .client
            .goto(&format!("{PAGE}/"))
            .await
            .expect("the page");
        let deadline = Instant::now() + FINISH;
        let page = loop {
            let page = session
                .client
                .execute(ROWS, Vec::new())
                .await
                .expect("the rows");
            if !page.is_null() || Instant::now() >= deadline {
                break page;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        session.close().await;
        page
    })
}
