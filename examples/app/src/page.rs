//! The frontend: one HTML page whose buttons call the API with `fetch` and show what the browser
//! allowed and what it blocked.

use axum::Router;
use axum::body::Bytes;
use axum::response::Html;
use axum::routing::get;
use serde_json::json;

/// The page, with `__CONFIG__` standing for the origins it works with.
const PAGE: &str = include_str!("page.html");

/// The origins the page works with.
pub struct Origins {
    /// Where the API is reached: the page's scripts call it.
    pub api: String,
    /// Where the page is meant to be opened: the origin the API's policies list.
    pub page: String,
    /// Another origin of the same server that only `*` allows; the page opened at `page` shows
    /// itself from there in a frame, so both columns of verdicts are side by side.
    pub other: String,
}

/// Serves the page at `/`, whatever host name it is reached by.
pub fn router(origins: &Origins) -> Router {
    let config = json!({ "api": origins.api, "page": origins.page, "other": origins.other });
    // the configuration sits in a <script> element, which only `</` could end early
    let config = config.to_string().replace("</", "<\\/");
    let html = Bytes::from(PAGE.replace("__CONFIG__", &config));
    Router::new().route(
        "/",
        get(move || {
            let html = html.clone();
            async move { Html(html) }
        }),
    )
}
