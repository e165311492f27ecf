//! The example app in headless Chromium: what the browser allows and blocks, from which origin.
//!
//! CORS is enforced by the browser, so these tests ask one. Each test serves the example's API
//! and a page on loopback ports chosen by the OS; Chromium's `--host-resolver-rules` gives the
//! page the origin under test (`http://localhost:3000`, `http://evil.test`, ...). The page makes
//! the test's `fetch` calls and writes down what the browser reported; the test compares that,
//! the CORS error Chromium logged for each blocked call, and the requests the API answered, with
//! what should have happened. A blocked call is thus a CORS failure the browser names, never a
//! server that did not answer.
//!
//! Without Chromium the tests are skipped with a message, or fail under `CI=true`.

mod chromium;
mod scenario;
mod servers;

use cors_example::page;

use chromium::Chromium;
use scenario::{Call, Reason, Scenario, host_rules, run_from};
use servers::Servers;

/// The origin the example's page is served at, which most of its policies list.
const PAGE: &str = "http://localhost:3000";

/// The item the page posts.
const ITEM: &str = r#"{"name":"Foo","price":42}"#;

/// From the page's own origin, simple calls are allowed, and so are preflighted ones when the
/// policy lists what the preflight asks for; a header it does not list, or a route without a
/// policy, is blocked.
#[test]
fn from_the_pages_origin_what_the_policies_list_is_allowed() {
    run_from(
        PAGE,
        &[
            Scenario::allowed("GET / reads the greeting", Call::get("/"), 200)
                .body(r#"{"message":"Hello, World!"}"#)
                .answered(["GET 200"]),
            Scenario::allowed("HEAD / is allowed with GET", Call::new("HEAD", "/"), 200)
                .body("")
                .answered(["HEAD 200"]),
            Scenario::allowed(
                "a JSON POST is preflighted for content-type, then echoed",
                Call::post("/items/", "application/json", ITEM),
                200,
            )
            .body(r#"{"name":"Foo","price":42.0}"#)
            .answered(["OPTIONS 204", "POST 200"]),
            Scenario::allowed(
                "a text/plain POST is not preflighted, and the handler's 415 is readable",
                Call::post("/items/", "text/plain", ITEM),
                415,
            )
            .answered(["POST 415"]),
            Scenario::blocked(
                "a JSON POST with a header its policy does not list is refused at the preflight",
                Call::post("/items/", "application/json", ITEM).header("x-api-key", "secret"),
                Reason::PreflightRefused,
            )
            .answered(["OPTIONS 403"]),
            Scenario::blocked(
                "GET /health has no policy, so the browser hides the response",
                Call::get("/health"),
                Reason::NoAllowOrigin,
            )
            .answered(["GET 200"]),
        ],
    );
}

/// From the page's own origin, the page sends only the request headers a policy lists and reads
/// only the response headers it exposes.
#[test]
fn from_the_pages_origin_only_listed_headers_go_out_and_only_exposed_ones_come_back() {
    run_from(
        PAGE,
        &[
            Scenario::allowed(
                "x-api-key is allowed by the preflight and reaches the handler",
                Call::get("/protected").header("x-api-key", "secret"),
                200,
            )
            .body(r#"{"message":"key accepted"}"#)
            .answered(["OPTIONS 204", "GET 200"]),
            Scenario::allowed(
                "without x-api-key there is no preflight, and the handler's 401 is readable",
                Call::get("/protected"),
                401,
            )
            .body(r#"{"detail":"send an x-api-key header"}"#)
            .answered(["GET 401"]),
            Scenario::blocked(
                "x-debug, which the policy does not list, is refused at the preflight",
                Call::get("/protected").header("x-debug", "1"),
                Reason::PreflightRefused,
            )
            .answered(["OPTIONS 403"]),
            Scenario::allowed(
                "GET /items/ exposes x-total-count; x-powered-by stays unreadable",
                Call::get("/items/"),
                200,
            )
            .reads("x-total-count", Some("2"))
            .reads("x-powered-by", None)
            .reads("content-type", Some("application/json"))
            .answered(["GET 200"]),
        ],
    );
}

/// From the page's own origin, a call with credentials is allowed only by a policy with
/// `credentials`, which `*` cannot have.
#[test]
fn from_the_pages_origin_credentials_need_a_credentials_policy() {
    run_from(
        PAGE,
        &[
            public_is_readable(),
            Scenario::blocked(
                "GET /public with credentials is blocked: `*` is no answer to credentials",
                Call::get("/public").with_credentials(),
                Reason::WildcardWithCredentials,
            )
            .answered(["GET 200"]),
            Scenario::allowed(
                "GET /account with credentials is allowed by its credentials policy",
                Call::get("/account").with_credentials(),
                200,
            )
            .body(r#"{"user":"alice"}"#)
            .answered(["GET 200"]),
            Scenario::allowed(
                "GET /account without credentials is allowed too",
                Call::get("/account"),
                200,
            )
            .body(r#"{"user":"alice"}"#)
            .answered(["GET 200"]),
            Scenario::blocked(
                "GET / with credentials is blocked: its policy has no credentials",
                Call::get("/").with_credentials(),
                Reason::NoAllowCredentials,
            )
            .answered(["GET 200"]),
        ],
    );
}

/// From the page's own origin, each method of `/items/{id}` is answered by its own handler's
/// policy, and a method no handler serves by none.
#[test]
fn from_the_pages_origin_each_method_of_a_path_has_its_own_policy() {
    run_from(
        PAGE,
        &[
            Scenario::allowed(
                "GET /items/1 is allowed by the pattern `http://localhost:*`",
                Call::get("/items/1"),
                200,
            )
            .body(r#"{"item_id":1}"#)
            .answered(["GET 200"]),
            Scenario::allowed(
                "DELETE /items/1 with credentials is preflighted and allowed by its own policy",
                Call::new("DELETE", "/items/1").with_credentials(),
                204,
            )
            .body("")
            .answered(["OPTIONS 204", "DELETE 204"]),
            Scenario::blocked(
                "PUT /items/1 is refused at the preflight: no policy on the path lists PUT",
                Call::new("PUT", "/items/1"),
                Reason::PreflightRefused,
            )
            .answered(["OPTIONS 403"]),
        ],
    );
}

/// From an origin no policy lists, only `*` lets the page read, and preflights never pass.
#[test]
fn from_an_unlisted_origin_only_the_public_route_is_readable() {
    run_from(
        "http://evil.test",
        &[
            Scenario::blocked(
                "GET / is blocked, though the handler ran: CORS protects the reader, not the server",
                Call::get("/"),
                Reason::NoAllowOrigin,
            )
            .answered(["GET 200"]),
            Scenario::blocked(
                "a JSON POST is refused at the preflight and never reaches the handler",
                Call::post("/items/", "application/json", ITEM),
                Reason::PreflightRefused,
            )
            .answered(["OPTIONS 403"]),
            Scenario::blocked(
                "GET /items/ is blocked",
                Call::get("/items/"),
                Reason::NoAllowOrigin,
            )
            .answered(["GET 200"]),
            public_is_readable(),
            Scenario::blocked(
                "GET /account with credentials is blocked",
                Call::get("/account").with_credentials(),
                Reason::NoAllowOrigin,
            )
            .answered(["GET 200"]),
            Scenario::blocked(
                "GET /protected with x-api-key is refused at the preflight",
                Call::get("/protected").header("x-api-key", "secret"),
                Reason::PreflightRefused,
            )
            .answered(["OPTIONS 403"]),
            Scenario::blocked(
                "GET /items/1 is blocked: the pattern wants a localhost origin",
                Call::get("/items/1"),
                Reason::NoAllowOrigin,
            )
            .answered(["GET 200"]),
            Scenario::blocked(
                "DELETE /items/1 is refused at the preflight",
                Call::new("DELETE", "/items/1").with_credentials(),
                Reason::PreflightRefused,
            )
            .answered(["OPTIONS 403"]),
        ],
    );
}

/// From a dev server on another port, `http://localhost:*` lets the page read an item, while
/// the stricter policy of the same path refuses to let it delete one.
#[test]
fn from_another_localhost_port_the_pattern_allows_reading_but_not_deleting() {
    run_from(
        "http://localhost:5173",
        &[
            Scenario::allowed(
                "GET /items/1 is allowed by the pattern `http://localhost:*`",
                Call::get("/items/1"),
                200,
            )
            .body(r#"{"item_id":1}"#)
            .answered(["GET 200"]),
            Scenario::blocked(
                "DELETE /items/1 on the same path is refused: its policy lists only :3000",
                Call::new("DELETE", "/items/1").with_credentials(),
                Reason::PreflightRefused,
            )
            .answered(["OPTIONS 403"]),
            Scenario::blocked(
                "GET / is blocked: its policy lists only :3000",
                Call::get("/"),
                Reason::NoAllowOrigin,
            )
            .answered(["GET 200"]),
            public_is_readable(),
        ],
    );
}

/// A wildcard port matches the scheme's default port too, which origins leave out.
#[test]
fn the_localhost_pattern_includes_the_default_port() {
    run_from(
        "http://localhost",
        &[Scenario::allowed(
            "GET /items/1 from http://localhost is allowed by `http://localhost:*`",
            Call::get("/items/1"),
            200,
        )
        .body(r#"{"item_id":1}"#)
        .answered(["GET 200"])],
    );
}

/// A pattern keeps its scheme: `https://*.example.com` does not allow `http://` subdomains.
#[test]
fn the_https_subdomain_pattern_refuses_plain_http() {
    run_from(
        "http://shop.example.com",
        &[Scenario::blocked(
            "GET /items/1 from http://shop.example.com is blocked by `https://*.example.com`",
            Call::get("/items/1"),
            Reason::NoAllowOrigin,
        )
        .answered(["GET 200"])],
    );
}

/// The example's own page, opened where the README says, shows the verdicts it should.
#[test]
fn the_example_page_shows_what_the_browser_allowed_and_blocked() {
    let Some(chromium) = Chromium::find() else {
        return;
    };
    let servers = Servers::start();
    // the page's frame shows it from a second origin, here a name mapped to the same server
    let other = "http://other.test";
    let page = servers.serve(page::router(&page::Origins {
        api: servers.api_origin(),
        page: PAGE.to_owned(),
        other: other.to_owned(),
    }));
    let dump = chromium.dump_dom(
        &format!("{PAGE}/"),
        &host_rules(&[(PAGE, page), (other, page)]),
    );
    assert!(
        dump.dom.contains(r#"data-finished="true""#),
        "the page did not finish its calls:\n{}\n{}",
        dump.dom,
        dump.log
    );
    let rows: Vec<(String, String, String)> = dump
        .dom
        .split("<tr ")
        .skip(1)
        .filter_map(|row| {
            let tag = &row[..row.find('>')?];
            let attribute = |name: &str| {
                let start = format!("{name}=\"");
                let (_, value) = tag.split_once(&start)?;
                Some(value[..value.find('"')?].to_owned())
            };
            Some((
                attribute("data-call")?,
                attribute("data-verdict")?,
                attribute("data-status").unwrap_or_default(),
            ))
        })
        .collect();
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
    .map(|(call, verdict, status)| (call.to_owned(), verdict.to_owned(), status.to_owned()));
    assert_eq!(rows, expected, "the page's verdicts");
    assert!(
        dump.dom
            .contains(r#"x-total-count: "2" · x-powered-by: null"#),
        "the page reads the exposed header and not the other:\n{}",
        dump.dom
    );
}

/// `GET /public`, which `origins = ["*"]` lets every origin read.
fn public_is_readable() -> Scenario {
    Scenario::allowed("GET /public is allowed by `*`", Call::get("/public"), 200)
        .body(r#"{"message":"anyone may read this"}"#)
        .answered(["GET 200"])
}
