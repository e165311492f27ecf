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

/// The text of an element of the current page or frame, `null` while it still says `not run` or
/// is empty.
const TEXT: &str = r#"
const text = document.getElementById(arguments[0])?.textContent ?? "";
return text === "" || text === "not run" ? null : text;
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
        ("websocket", "allowed", "101"),
        ("form-post", "allowed", ""),
    ]
    .map(row)
    .to_vec();
    // the frame's origin is listed by no policy: `csrf` refuses its socket and its form post
    let expected_in_frame = [("websocket", "blocked", ""), ("form-post", "blocked", "")].map(row);
    for engine in Engine::ALL {
        let Some(installed) = engine.find() else {
            continue;
        };
        // each engine starts from the set the app starts with
        cors_example::api::TENANTS
            .replace([PAGE])
            .expect("the page's origin is a valid tenant");
        let (page, frame, tenants) = finished_page(&servers, &installed);
        let name = engine.name();
        tenants.check(name);
        assert!(!page.is_null(), "{name}: the page did not finish its calls");
        assert!(
            !frame.is_null(),
            "{name}: the frame did not finish its calls"
        );
        let rows: Vec<Vec<String>> =
            serde_json::from_value(page["rows"].clone()).expect("rows of three strings");
        assert_eq!(rows, expected, "{name}: the page's verdicts");
        let rows: Vec<Vec<String>> =
            serde_json::from_value(frame["rows"].clone()).expect("rows of three strings");
        let in_frame: Vec<Vec<String>> = rows
            .into_iter()
            .filter(|row| {
                expected_in_frame
                    .iter()
                    .any(|expected| expected[0] == row[0])
            })
            .collect();
        assert_eq!(in_frame, expected_in_frame, "{name}: the frame's verdicts");
        let log = servers.log();
        assert!(
            log.contains("a WebSocket handshake whose `Origin` is neither")
                && log.contains("a write marked cross-origin by `Sec-Fetch-Site`"),
            "{name}: the layer logs both refusals:\n{log}"
        );
        // the layer answered both `403` itself: the handlers answer `101` and `200`
        let answers = servers.answers();
        let answered = |origin: &str, exchange: &str| {
            answers.iter().any(|answer| {
                answer.origin.as_deref() == Some(origin) && answer.exchange == exchange
            })
        };
        for (origin, exchange) in [
            (PAGE, "GET 101"),
            (PAGE, "POST 200"),
            (other, "GET 403"),
            (other, "POST 403"),
        ] {
            assert!(
                answered(origin, exchange),
                "{name}: no {exchange} to {origin}"
            );
        }
        let text = page["text"].as_str().unwrap_or_default();
        assert!(
            text.contains(r#"x-total-count: "2" · x-powered-by: null"#),
            "{name}: the page reads the exposed header and not the other:\n{text}"
        );
    }
}

/// A row of the page: call, verdict, status.
fn row((call, verdict, status): (&str, &str, &str)) -> Vec<String> {
    [call, verdict, status].map(str::to_owned).to_vec()
}

/// What the frame from the other origin read of `GET /tenant` before and after the page's button
/// added its origin to `TENANTS`, and what `POST /tenants` answered the page.
struct Tenants {
    before: Value,
    added: Value,
    after: Value,
}

impl Tenants {
    /// Panics unless the frame was refused before the button and allowed after it, without a
    /// restart.
    fn check(&self, name: &str) {
        let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
        let (before, added, after) = (text(&self.before), text(&self.added), text(&self.after));
        assert_eq!(
            before, "blocked: TypeError",
            "{name}: the frame's GET /tenant before"
        );
        assert!(
            added.starts_with("200 ") && added.contains("http://other.test"),
            "{name}: POST /tenants answered {added:?}"
        );
        assert!(
            after.starts_with("allowed, 200 ") && after.contains("http://other.test"),
            "{name}: the frame's GET /tenant after the button: {after:?}"
        );
    }
}

/// Opens the example's page in a fresh session of `installed`'s engine and returns its rows and
/// text once it has made its calls, then those of its frame from the other origin, each `null`
/// if it did not finish within [`FINISH`]; then clicks the page's button that adds the frame's
/// origin to `TENANTS`, and returns what the frame read of `GET /tenant` before and after.
fn finished_page(servers: &Servers, installed: &Installed) -> (Value, Value, Tenants) {
    let driver = installed.start();
    servers.network.runtime().block_on(async {
        let session = Session::open(installed, &driver, servers.network.proxy()).await;
        session
            .client
            .goto(&format!("{PAGE}/"))
            .await
            .expect("the page");
        let page = finished(&session, ROWS, &[]).await;
        // WebDriver reaches into a frame of another origin, which the page's scripts cannot
        session.client.enter_frame(0).await.expect("the frame");
        let frame = finished(&session, ROWS, &[]).await;
        let before = finished(&session, TEXT, &["tenant-result"]).await;
        session.client.enter_parent_frame().await.expect("the page");
        click(&session, "tenant-add").await;
        let added = finished(&session, TEXT, &["tenant-added"]).await;
        // the button reloads the frame, whose new document asks again
        session.client.enter_frame(0).await.expect("the frame");
        let after = finished(&session, TEXT, &["tenant-result"]).await;
        session.close().await;
        (
            page,
            frame,
            Tenants {
                before,
                added,
                after,
            },
        )
    })
}

/// Clicks the element `id` of the current page.
async fn click(session: &Session, id: &str) {
    session
        .client
        .execute(
            "document.getElementById(arguments[0]).click();",
            vec![Value::from(id)],
        )
        .await
        .expect("the click");
}

/// What `script`, given `arguments`, returns on the current page or frame once it returns
/// anything but `null`, or `null` if it did not within [`FINISH`].
async fn finished(session: &Session, script: &str, arguments: &[&str]) -> Value {
    let deadline = Instant::now() + FINISH;
    loop {
        let arguments = arguments
            .iter()
            .map(|&argument| Value::from(argument))
            .collect();
        let value = session
            .client
            .execute(script, arguments)
            .await
            .expect("the script");
        if !value.is_null() || Instant::now() >= deadline {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
