//! The origins app webviews and browser extensions send, with credentials.

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::routing::get;
use cors_runtime::{Decision, Verdict, cors, decide};

#[cors(origins = ["capacitor://localhost", "ionic://localhost", "app://localhost",
                  "tauri://localhost", "http://tauri.localhost", "https://localhost",
                  "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
                  "moz-extension://0b4c5a3e-6f1d-4c2b-9a8e-7d6f5e4c3b2a",
                  "safari-web-extension://dcea6524-ab56-4469-895f-d4f4e84f139e",
                  "vscode-webview://1ipefr3mb7nqtbqlhvb7v1p4fafmbghuib1mrs3pvc01ui1"],
       credentials)]
async fn data() -> &'static str {
    "data"
}

fn main() {
    let mut headers = HeaderMap::new();
    headers.insert("origin", HeaderValue::from_static("capacitor://localhost"));
    let decision = decide(data::policy(), &Method::GET, &headers);
    assert!(matches!(decision, Decision::Actual(Verdict::Allowed(_))));
    let _app: Router = Router::new().route("/data", get(data).layer(data::layer()));
}
