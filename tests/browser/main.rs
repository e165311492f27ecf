//! The example app in Chromium, Firefox ESR and WebKitGTK: what each engine allows and blocks,
//! from which origin.
//!
//! CORS is enforced by the browser, so these tests ask three. Each test starts the API and the
//! pages in-process behind a loopback HTTP proxy ([`network`]) and drives every engine through
//! its WebDriver server ([`engine`], [`session`]) with the same scenario table: a page of the
//! origin under test (`http://localhost:3000`, `http://evil.test`, ...) makes the scenario's
//! `fetch` calls, and the test compares what the page saw, the CORS error the engine logged for
//! each blocked call, and the requests the API answered, with what should have happened. A
//! blocked call is thus a CORS failure the engine names, never a server that did not answer.
//!
//! # No name is resolved
//!
//! Every engine is given the proxy with WebDriver's standard `proxy` capability, so it asks the
//! proxy for `http://evil.test/` instead of resolving `evil.test`: origins need neither DNS nor
//! fixed ports. Loopback names are proxied only when the engine is told to: Chromium gets
//! `--proxy-bypass-list=<-loopback>`, Firefox `network.proxy.allow_hijacking_localhost`;
//! WebKitGTK proxies them as it is. The `https://` sites listen on loopback ports of their own
//! (`https://localhost:port`, `https://127.0.0.1:port`): Chromium and Firefox reach them with
//! `CONNECT` through the proxy (`sslProxy`), WebKitGTK, which fails every `https://` request when
//! given an `sslProxy`, connects to them itself, loopback needing no DNS either. Should anything
//! still be resolved, it stays on the machine: Chromium gets
//! `--host-resolver-rules=EXCLUDE 127.0.0.1, MAP * ~NOTFOUND` and `--disable-background-networking`,
//! Firefox `network.dns.forceResolve` (to `127.0.0.1`), `network.dns.localDomains` and
//! `network.trr.mode` 5 (no DNS over HTTPS). What an engine fetches for itself (Chromium still
//! asks for its component updates) reaches the proxy, which answers `502` for every site that is
//! not the test's.
//!
//! # Agreement
//!
//! Besides what each scenario expects, every engine must tell a script the same of each call:
//! blocked, or the same status and the same readable response headers
//! ([`Readable`](scenario::Readable)). The model of a browser, `cors_runtime::browser`, joins
//! that comparison in the same run ([`model`]): every scenario is also made through it, against
//! the router the engines call, and it must meet what the scenario expects (verdict, status,
//! body, headers, the reason in Chromium's words, the API's answers) and agree with every engine.
//! Where the model legitimately differs, the scenario says so, with its reason, as it does for an
//! engine ([`Scenario::answered_in`] with [`Judge::Model`](engine::Judge::Model)).
//!
//! # Fresh state
//!
//! Each test opens one session per engine, with a fresh profile (chromedriver, geckodriver and
//! WebKitWebDriver each make a new one per session). Within it, every call has a URL of its own,
//! so no cached preflight answers another scenario, and the API's answers, which every scenario
//! lists, show each preflight that was sent. Only the sign-in test sets a cookie.
//!
//! # Console messages
//!
//! Chromium's come from chromedriver's `browser` log (`goog:loggingPrefs`). Firefox's come from
//! its console service, read in its privileged context (`geckodriver --allow-system-access`,
//! then `moz/context` `chrome`): WebDriver classic has no log command there, and
//! `devtools.console.stdout.content` prints only `console.*` calls, not network errors.
//! WebKitGTK's come from its pages' own output. `WebKitWebDriver` has no log command, this
//! build (2.50) has no WebDriver BiDi, and its remote inspector does not list the pages a
//! session controls, so the browser the driver starts for each session is the suite's own,
//! `automation_browser.py` (WebKitGTK's GObject bindings from Python, named in
//! `webkitgtk:browserOptions`). Its pages have `enable-write-console-messages-to-stdout` set,
//! and it points its web processes' output at a file in the session's profile directory, which
//! [`session`] reads: `CONSOLE SECURITY ERROR ` and the reason, then the line
//! `CONSOLE JS ERROR Fetch API cannot load {url} due to access control checks.`
//! MiniBrowser would print nothing: in automation mode it gives its pages an ephemeral data
//! manager, and WebKit prints no console message of an ephemeral page, whatever its settings
//! say. The suite's browser keeps its data in the session's fresh profile directory instead.
//!
//! Without an engine, its part is skipped with a message; under `CI=true` it fails instead.

// the docs name engines and their programs (WebKitGTK, MiniBrowser, WebDriver) as prose
#![allow(clippy::doc_markdown)]

mod call;
mod engine;
mod model;
mod network;
mod outside;
mod page;
mod profile;
mod run;
mod scenario;
mod servers;
mod session;
mod signin;
mod tls;

use call::{Call, Reason};
use run::run_from;
use scenario::Scenario;

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
                Reason::HeaderNotAllowed("x-api-key"),
            )
            .answered(["OPTIONS 204"]),
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
                Reason::HeaderNotAllowed("x-debug"),
            )
            .answered(["OPTIONS 204"]),
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
            Scenario::allowed(
                "the FastAPI tutorial's policy: a credentialed PUT with a custom header is allowed",
                tutorial_put(),
                200,
            )
            .body(r#"{"saved":"{}","x-custom-header":"yes"}"#)
            .answered(["OPTIONS 204", "PUT 200"]),
        ],
    );
}

/// `fetch("/settings", { method: "PUT", credentials: "include", headers: { "content-type":
/// "application/json", "x-custom-header": "yes" }, body: "{}" })`, which the FastAPI tutorial's
/// configuration (`headers = ["*"]` with `credentials`) grants its origins by echoing.
fn tutorial_put() -> Call {
    Call::sending("PUT", "/settings", "application/json", "{}")
        .header("x-custom-header", "yes")
        .with_credentials()
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
            Scenario::allowed(
                "a second DELETE within `max_age = 600` is sent without asking again",
                Call::new("DELETE", "/items/1").with_credentials().twice(),
                204,
            )
            // every engine caches the preflight: 600 s is within each one's cap (Chromium
            // 7200 s, Firefox 86400 s, WebKit 600 s), and the cache is keyed by the call's URL,
            // its origin and its credentials mode (fetch #concept-cache-match)
            .answered(["OPTIONS 204", "DELETE 204", "DELETE 204"]),
            Scenario::blocked(
                "PUT /items/1 is refused at the preflight: no policy on the path lists PUT",
                Call::new("PUT", "/items/1"),
                Reason::MethodNotAllowed("PUT"),
            )
            .answered(["OPTIONS 204"]),
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
            Scenario::blocked(
                "the FastAPI tutorial's credentialed PUT is refused at the preflight",
                tutorial_put(),
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

/// `GET /public`, which `origins = ["*"]` lets every origin read.
fn public_is_readable() -> Scenario {
    Scenario::allowed("GET /public is allowed by `*`", Call::get("/public"), 200)
        .body(r#"{"message":"anyone may read this"}"#)
        .answered(["GET 200"])
}
