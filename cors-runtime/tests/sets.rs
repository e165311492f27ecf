//! Sets of origins refilled while the app runs: each change applies from the next request on, a
//! bad list changes nothing and names every bad entry in the attribute's words, and requests
//! racing thousands of changes each see one whole version of the set.

mod support;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use axum::Router;
use axum::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN};
use axum::http::{HeaderValue, Method};
use axum::routing::get;
use cors_runtime::{Origins, cors, cors_policy};
use support::{assert_no_cors_headers, send};

static TENANTS: Origins = Origins::new();

#[cors(origins = TENANTS, credentials, methods = [GET, POST], headers = ["content-type"])]
async fn orders() -> &'static str {
    "orders"
}

static PUBLIC: Origins = Origins::new();

#[cors(origins = PUBLIC)]
async fn catalogue() -> &'static str {
    "catalogue"
}

static INTRANET: Origins = Origins::new();

#[cors(origins = INTRANET, credentials, insecure_http)]
async fn reports() -> &'static str {
    "reports"
}

static RACED: Origins = Origins::new();

#[cors(origins = RACED)]
async fn raced() -> &'static str {
    "raced"
}

static UNUSED: Origins = Origins::new();

static STAFF_ORIGINS: Origins = Origins::new();

cors_policy!(STAFF, origins = STAFF_ORIGINS, credentials);

fn app() -> Router {
    Router::new()
        .route("/orders", get(orders).layer(orders::layer()))
        .route("/catalogue", get(catalogue).layer(catalogue::layer()))
        .route("/reports", get(reports).layer(reports::layer()))
        .route("/raced", get(raced).layer(raced::layer()))
}

/// The `Access-Control-Allow-Origin` that a `GET` of `path` from `origin` gets, if any.
async fn allowed(path: &str, origin: &str) -> Option<String> {
    let origin = HeaderValue::from_str(origin).unwrap();
    let response = send(app(), Method::GET, path, &[(ORIGIN, origin)]).await;
    let Some(allow) = response.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN) else {
        // a refused origin learns nothing of the policy
        assert_no_cors_headers(&response, path);
        return None;
    };
    Some(allow.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_set_allows_nothing_until_it_is_filled_and_each_change_applies_to_the_next_request() {
    const ACME: &str = "https://acme.example.com";
    static LATER: Origins = Origins::new();
    #[cors(origins = LATER)]
    async fn later() {}
    let app = || Router::new().route("/", get(later).layer(later::layer()));
    let ask = |origin: &'static str| async move {
        let origin = HeaderValue::from_static(origin);
        let response = send(app(), Method::GET, "/", &[(ORIGIN, origin)]).await;
        response.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).cloned()
    };
    assert_eq!(ask(ACME).await, None);
    LATER.replace([ACME, "https://*.shop.example"]).unwrap();
    assert_eq!(ask(ACME).await.unwrap(), ACME);
    assert_eq!(
        ask("https://eu.shop.example").await.unwrap(),
        "https://eu.shop.example"
    );
    LATER.replace(["https://globex.example.com"]).unwrap();
    assert_eq!(ask(ACME).await, None);
    LATER.replace(Vec::<String>::new()).unwrap();
    assert_eq!(ask("https://globex.example.com").await, None);
}

#[tokio::test]
async fn a_bad_list_changes_nothing_and_names_every_bad_entry_with_its_fix() {
    TENANTS.replace(["https://acme.example.com"]).unwrap();
    let error = TENANTS
        .replace([
            "https://globex.example.com",
            "https://initech.example.com/",
            "http://hooli.example.com",
            "https://*.github.io",
            "*",
        ])
        .unwrap_err();
    let message = error.to_string();
    assert!(
        message
            .starts_with("the origins given to `TENANTS` have mistakes (checked for `orders` at "),
        "{message}"
    );
    for line in [
        "`https://initech.example.com/`: origin must not end with `/`: browsers send only scheme, host and port; write `\"https://initech.example.com\"`",
        "`http://hooli.example.com`: a plain `http://` origin with `credentials` lets anyone on the network read the user's data; use `https://`, or add `insecure_http` if this is deliberate",
        "`https://*.github.io`: `*.github.io` would let anyone who registers a name under the public suffix `github.io` read responses with credentials",
        "`*`: `*` cannot be combined with `credentials`: browsers refuse `Access-Control-Allow-Origin: *` on requests with credentials",
    ] {
        assert!(message.contains(line), "{line}\nnot in\n{message}");
    }
    assert!(!message.contains("globex"), "{message}");
    assert_eq!(TENANTS.entries(), ["https://acme.example.com"]);
    let acme = allowed("/orders", "https://acme.example.com").await;
    assert_eq!(acme.as_deref(), Some("https://acme.example.com"));
    assert_eq!(allowed("/orders", "https://globex.example.com").await, None);
}

#[tokio::test]
async fn each_set_is_checked_against_the_policies_that_use_it() {
    // no handler with credentials uses these: `*` and plain `http://` are theirs to allow
    PUBLIC.replace(["*"]).unwrap();
    assert_eq!(
        allowed("/catalogue", "https://anyone.example")
            .await
            .as_deref(),
        Some("*")
    );
    UNUSED.replace(["http://hooli.example.com"]).unwrap();
    let error = UNUSED.replace(["https://a.example.com/"]).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("the origins given to a set have mistakes:\n")
    );
    // `insecure_http` lets plain `http://` through, never `*`
    INTRANET.replace(["http://intranet.example.com"]).unwrap();
    let allow = allowed("/reports", "http://intranet.example.com").await;
    assert_eq!(allow.as_deref(), Some("http://intranet.example.com"));
    let error = INTRANET.replace(["*"]).unwrap_err().to_string();
    assert!(
        error.contains("which allows `credentials` with `insecure_http`):\n  `*`: "),
        "{error}"
    );
}

#[test]
fn a_named_policy_checks_its_set_even_when_no_handler_names_it() {
    assert!(STAFF.credentials());
    let error = STAFF_ORIGINS
        .replace(["http://intranet.example.com"])
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with(
            "the origins given to `STAFF_ORIGINS` have mistakes (checked for `STAFF` at "
        ),
        "{error}"
    );
    assert!(STAFF_ORIGINS.entries().is_empty());
}

/// Set A and set B, which the race alternates between: every request, and every reading of
/// the set, must find one of them whole.
const A: [&str; 2] = ["https://a1.example.com", "https://*.a2.example.com"];
const B: [&str; 2] = ["https://b1.example.com", "https://*.b2.example.com"];

#[test]
fn requests_racing_thousands_of_changes_each_see_one_whole_set() {
    // even: set A or B is in place, by the parity of `version / 2`; odd: a change is under way
    static VERSION: AtomicU64 = AtomicU64::new(0);
    static DONE: AtomicBool = AtomicBool::new(false);
    RACED.replace(A).unwrap();
    std::thread::scope(|scope| {
        let replacer = scope.spawn(|| {
            for round in 0..2_000_u32 {
                VERSION.fetch_add(1, Ordering::SeqCst);
                RACED
                    .replace(if round.is_multiple_of(2) { B } else { A })
                    .unwrap();
                VERSION.fetch_add(1, Ordering::SeqCst);
                // a bad list in between changes nothing
                assert!(RACED.replace(["https://a1.example.com/"]).is_err());
            }
            DONE.store(true, Ordering::SeqCst);
        });
        let readers: Vec<_> = (0..4)
            .map(|reader| scope.spawn(move || send_while_replaced(reader, &VERSION)))
            .collect();
        let stable: usize = readers
            .into_iter()
            .map(|reader| reader.join().unwrap())
            .sum();
        replacer.join().unwrap();
        assert!(DONE.load(Ordering::SeqCst));
        println!("{stable} of 20000 requests ran while one set stayed in place");
    });
}

/// Sends 5,000 requests through the layer from one thread while the set changes, checking each
/// answer against the set then in place; returns how many ran while no change was under way.
fn send_while_replaced(reader: usize, version: &AtomicU64) -> usize {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut stable = 0;
    for request in 0..5_000 {
        let (a, b) = if (reader + request).is_multiple_of(2) {
            ("https://a1.example.com", "https://b1.example.com")
        } else {
            ("https://x.a2.example.com", "https://x.b2.example.com")
        };
        let before = version.load(Ordering::SeqCst);
        let (to_a, to_b) =
            runtime.block_on(async { (allowed("/raced", a).await, allowed("/raced", b).await) });
        let after = version.load(Ordering::SeqCst);
        // one request, one version of the set: exactly one of A and B answers
        let whole = entries_are_one_set(&RACED.entries());
        assert!(whole, "a reading of the set mixed A and B");
        if before == after && before.is_multiple_of(2) {
            // nothing changed during either request: both answers come from the set in place
            let a_in_place = (before / 2).is_multiple_of(2);
            assert_eq!(
                to_a.as_deref() == Some(a),
                a_in_place,
                "version {before}: {a}"
            );
            assert_eq!(
                to_b.as_deref() == Some(b),
                !a_in_place,
                "version {before}: {b}"
            );
            stable += 1;
        } else {
            for (origin, answer) in [(a, &to_a), (b, &to_b)] {
                assert!(
                    answer.is_none() || answer.as_deref() == Some(origin),
                    "{origin}: {answer:?}"
                );
            }
        }
    }
    stable
}

/// Whether `entries` are exactly set A or exactly set B.
fn entries_are_one_set(entries: &[String]) -> bool {
    entries == A || entries == B
}
