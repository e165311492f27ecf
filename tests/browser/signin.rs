//! Credentials as users use them: a sign-in over HTTPS that sets a `SameSite=None; Secure`
//! cookie, which the page's later calls carry to the API.
//!
//! `https://localhost:3000` calling `https://localhost:8443` is cross-origin but same-site, so
//! no engine's third-party cookie rules apply to it; `https://evil.test` is another site.

use crate::call::{Call, Reason};
use crate::engine::Engine;
use crate::run::run;
use crate::scenario::Scenario;

/// The page allowed to sign in.
const APP: &str = "https://localhost:3000";

/// A page of another site.
const FOREIGN: &str = "https://evil.test";

/// The cookie reaches the handler on the page's credentialed calls, the page reads the answer,
/// and a foreign page's credentialed call is blocked, with the reason in the server's log.
#[test]
fn over_https_the_session_cookie_reaches_the_api_and_only_its_own_page_reads_the_answer() {
    let own = [
        Scenario::allowed(
            "POST /session signs in, setting a `SameSite=None; Secure` cookie",
            Call::new("POST", "/session").over_https().with_credentials(),
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
    ];
    let foreign = [Scenario::blocked(
        "a foreign page's credentialed GET /session is blocked",
        Call::get("/session").over_https().with_credentials(),
        Reason::NoAllowOrigin,
    )
    // Chromium sends third-party cookies by default; Firefox keeps them apart per top-level
    // site (Total Cookie Protection) and WebKit blocks them (Intelligent Tracking Prevention),
    // so there the handler sees no cookie
    .answered(["GET 200"])
    .answered_in(Engine::Firefox, ["GET 401"])
    .answered_in(Engine::WebKit, ["GET 401"])];
    let servers = run(&[(APP, &own), (FOREIGN, &foreign)]);

    let answers = servers.answers();
    let signed_in: Vec<_> = answers
        .iter()
        .filter(|answer| answer.query.as_deref().is_some_and(|query| query.ends_with("-0-1")))
        .collect();
    assert!(
        signed_in.iter().all(|answer| answer.cookie),
        "the cookie reaches the handler on every engine's credentialed call: {signed_in:?}"
    );
    let log = servers.log();
    let refusals = log
        .lines()
        .filter(|line| line.contains(r#"handler="session""#))
        .filter(|line| line.contains("reason=origin `https://evil.test` is not allowed"))
        .count();
    let engines = answers
        .iter()
        .filter(|answer| answer.origin.as_deref() == Some(FOREIGN))
        .count();
    assert_eq!(
        refusals, engines,
        "the log explains each foreign call's refusal:\n{log}"
    );
}
