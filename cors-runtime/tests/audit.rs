//! The audit listing holds every `#[cors]` handler linked into the binary, with its policy.

use axum::Router;
use axum::routing::get;
use cors_runtime::audit::{self, Entry};
use cors_runtime::{Origins, cors, cors_policy};

const ITEMS_LINE: u32 = line!() + 3;
#[cors(origins = ["https://app.example.com", "https://*.example.org", "http://localhost:*"],
       credentials, methods = [GET, POST], headers = ["Content-Type"], expose = ["x-request-id"], max_age = 600)]
async fn items() -> &'static str {
    "items"
}

#[cors(origins = ["*"], methods = ["*"], headers = ["*", "authorization"])]
async fn public() -> &'static str {
    "public"
}

cors_policy!(SHARED, origins = ["https://admin.example.com"], csrf);

#[cors(policy = SHARED)]
async fn admin() -> &'static str {
    "admin"
}

static TENANTS: Origins = Origins::new();

#[cors(origins = TENANTS, credentials)]
async fn orders() -> &'static str {
    "orders"
}

cors_policy!(CUSTOMERS, origins = TENANTS);

#[cors(policy = CUSTOMERS)]
async fn invoices() -> &'static str {
    "invoices"
}

/// The app the listing describes.
fn app() -> Router {
    Router::new()
        .route("/items", get(items).post(items).layer(items::layer()))
        .route("/public", get(public).layer(public::layer()))
        .route("/admin", get(admin).layer(admin::layer()))
        .route("/orders", get(orders).layer(orders::layer()))
        .route("/invoices", get(invoices).layer(invoices::layer()))
}

#[test]
fn each_set_is_listed_by_name_with_what_it_holds_now_and_who_uses_it() {
    TENANTS
        .replace(["https://acme.example.com", "https://*.shop.example"])
        .unwrap();
    let sets = audit::sets();
    assert_eq!(
        sets,
        [audit::SetEntry {
            name: "TENANTS",
            entries: vec![
                "https://acme.example.com".into(),
                "https://*.shop.example".into()
            ],
            handlers: vec!["orders", "invoices"],
        }]
    );
    let orders = audit::entries()
        .into_iter()
        .find(|entry| entry.handler == "orders");
    assert_eq!(orders.unwrap().origin_set, Some("TENANTS"));
}

#[test]
fn every_handler_is_listed_with_its_policy_in_source_order() {
    let _app = app();
    let entries = audit::entries();
    let names: Vec<&str> = entries.iter().map(|entry| entry.handler).collect();
    assert_eq!(names, ["items", "public", "admin", "orders", "invoices"]);
    assert_eq!(
        entries[0],
        Entry {
            handler: "items",
            file: file!(),
            line: ITEMS_LINE,
            policy: None,
            origins: vec![
                "https://app.example.com".into(),
                "https://*.example.org".into(),
                "http://localhost:*".into()
            ],
            origin_set: None,
            credentials: true,
            csrf: false,
            methods: vec!["GET", "POST", "HEAD"],
            headers: vec!["content-type".into()],
            expose: vec!["x-request-id".into()],
            max_age: Some(600),
        }
    );
    assert_eq!(entries[1].origins, ["*"]);
    assert_eq!(entries[1].methods, ["*"]);
    assert_eq!(entries[1].headers, ["*", "authorization"]);
    assert_eq!(entries[2].policy, Some("SHARED"));
    assert!(entries[2].csrf);
    assert_eq!(entries[2].origins, ["https://admin.example.com"]);
    assert_eq!(entries[2].methods, ["GET", "HEAD", "POST"]);
}

#[test]
fn the_table_has_a_row_per_handler() {
    let table = audit::table(&audit::entries());
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 6, "{table}");
    assert!(
        lines[0].starts_with("handler")
            && lines[0].contains("origins")
            && lines[0].contains("csrf"),
        "{table}"
    );
    let csrf_column = lines[0].find("csrf").unwrap();
    assert_eq!(
        lines[1].get(csrf_column..csrf_column + 3),
        Some("no "),
        "{table}"
    );
    assert_eq!(
        lines[3].get(csrf_column..csrf_column + 3),
        Some("yes"),
        "{table}"
    );
    assert!(
        lines[1].starts_with("items")
            && lines[1].contains("https://*.example.org")
            && lines[1].contains("x-request-id / 600s"),
        "{table}"
    );
    assert!(
        lines[3].starts_with("admin") && lines[3].contains("SHARED"),
        "{table}"
    );
    assert!(
        lines[4].starts_with("orders") && lines[4].contains("set TENANTS:"),
        "{table}"
    );
}
