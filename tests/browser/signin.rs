//! Credentials as users use them: a sign-in over HTTPS that sets a `SameSite=None; Secure`
//! cookie, which the page's later calls carry to the API.
//!
//! The page at `https://localhost:port` calling the API at `https://localhost:another` is
//! cross-origin but same-site, so no engine's third-party cookie rules apply to it;
//! `https://127.0.0.1:port` is another site.

use crate::call::{Call, Reason};
use crate::engine::{Engine, Judge};
use crate::run::{page, run};
use crate::scenario::Scenario;
use crate::servers::Servers;

/// The cookie reaches the handler on the page's credentialed calls, the page reads the answer,
/// and a foreign page's credentialed call is blocked, with the reason in the server's log.
#[test]
fn over_https_the_session_cookie_reaches_the_api_and_only_its_own_page_reads_the_answer() {
    let (own, foreign) = (own_page(), foreign_page());
    let servers = Servers::start();
    // the API's `/session` policy allows `https://localhost:*`
    let app = servers.network.serve_tls("localhost", page());
    let foreign_origin = servers.network.serve_tls("127.0.0.1", page());
    run(&servers, &[(&app, &own), (&foreign_origin, &foreign)]);

    let answers = servers.answers();
    let signed_in: Vec<_> = answers
        .iter()
        .filter(|answer| {
            answer
                .query
                .as_deref()
                .is_some_and(|query| query.ends_with("-0-1"))
        })
        .collect();
    assert!(
        signed_in.iter().all(|answer| answer.cookie),
        "the cookie reaches the handler on every engine's credentialed call: {signed_in:?}"
    );
    let log = servers.log();
    let refusals = log
        .lines()
        .filter(|line| line.contains(r#"handler="session""#))
        .filter(|line| line.contains(&format!("reason=origin `{foreign_origin}` is not allowed")))
        .count();
    let engines = answers
        .iter()
        .filter(|answer| answer.origin.as_deref() == Some(foreign_origin.as_str()))
        .count();
    assert_eq!(
        refusals, engines,
        "the log explains each foreign call's refusal:\n{log}"
    );
}

/// The calls of the page allowed to sign in: sign in, then read with and without the cookie,
/// and a credentialed call to `*`.
fn own_page() -> [Scenario; 4] {
    [
        Scenario::allowed(
            "POST /session signs in, setting a `SameSite=None; Secure` cookie",
            Call::new("POST", "/session")
                .over_https()
                .with_credentials(),
            200,
        )
        .body(r#"{"signed_in":"alice"}"#)
        .answered(["POST 200"]),
        Scenario::allowed(
            "GET /session with credentials carries the cookie, and the page reads who signed in",
            Call::get("/session").over_https().with_credentials(),
            200,
        )
        .body(r#"{"user":"alice"}"#)
        .answered(["GET 200"]),
        Scenario::allowed(
            "GET /session without credentials carries no cookie, and the page reads the 401",
            Call::get("/session").over_https(),
            401,
        )
        .answered(["GET 401"]),
        Scenario::blocked(
            "GET /public with credentials is blocked over HTTPS too: `*` is no answer to them",
            Call::get("/public").over_https().with_credentials(),
            Reason::WildcardWithCredentials,
        )
        .answered(["GET 200"]),
    ]
}

/// The call of another site's page: the same credentialed read.
fn foreign_page() -> [Scenario; 1] {
    [Scenario::blocked(
        "a foreign page's credentialed GET /session is blocked",
        Call::get("/session").over_https().with_credentials(),
        Reason::NoAllowOrigin,
    )
    // the cookie is another site's here: Chromium blocks third-party cookies and Firefox keeps
    // them apart per top-level site (Total Cookie Protection), so the handler sees none;
    // WebKitGTK, whose tracking prevention is off unless its browser turns it on (the suite's
    // does not), sends it, and the handler runs signed in: CORS protects the reading, not the
    // server
    .answered(["GET 401"])
    .answered_in(Engine::WebKit, ["GET 200"])
    // the model has no third-party cookie rules: the cookie its jar holds for the API goes
    // with every call with credentials, from any site, as in WebKitGTK
    .answered_in(Judge::Model, ["GET 200"])]
}
