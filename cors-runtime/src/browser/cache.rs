//! The preflight cache (fetch `#cors-preflight-cache`): what granted preflights allowed, per URL
//! and credentials mode, until their `Access-Control-Max-Age` runs out on the model's clock.

use std::time::Duration;

use cors_rules::header::NON_WILDCARD_REQUEST;
use http::{HeaderName, Method};

use super::request::is_safelisted_method;

/// What one granted preflight allowed.
#[derive(Debug)]
pub(crate) struct Granted {
    /// `Access-Control-Allow-Methods`, as listed.
    pub(crate) methods: Vec<String>,
    /// `Access-Control-Allow-Headers`, as listed.
    pub(crate) headers: Vec<String>,
    /// How long it may be reused, capped.
    pub(crate) max_age: Duration,
}

/// The cache of one page, and its clock.
#[derive(Debug, Default)]
pub(crate) struct Cache {
    /// The model's time: starts at zero and moves only when a test advances it.
    now: Duration,
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    url: String,
    credentials: bool,
    item: Item,
    expires: Duration,
}

#[derive(Debug, PartialEq, Eq)]
enum Item {
    Method(String),
    Header(String),
}

impl Cache {
    /// Moves the clock on by `by`.
    pub(crate) fn advance(&mut self, by: Duration) {
        self.now = self.now.saturating_add(by);
    }

    /// Whether entries still fresh allow a call to `url` with `method` and these CORS-unsafe
    /// header names, so that no preflight is sent (fetch `#http-fetch`, step 5.1).
    pub(crate) fn covers(
        &mut self,
        url: &str,
        include: bool,
        method: &Method,
        names: &[HeaderName],
    ) -> bool {
        let now = self.now;
        self.entries.retain(|entry| entry.expires > now);
        let method_ok = is_safelisted_method(method)
            || self.matches(url, include, |item| match item {
                Item::Method(cached) => cached == method.as_str() || star(cached, include),
                Item::Header(_) => false,
            });
        method_ok
            && names.iter().all(|name| {
                self.matches(url, include, |item| match item {
                    Item::Header(cached) => {
                        cached.eq_ignore_ascii_case(name.as_str())
                            || star(cached, include) && name.as_str() != NON_WILDCARD_REQUEST
                    }
                    Item::Method(_) => false,
                })
            })
    }

    /// Keeps what a preflight for a call to `url` granted, replacing older entries for the same
    /// method or header name.
    pub(crate) fn store(&mut self, url: &str, include: bool, granted: &Granted) {
        let expires = self.now.saturating_add(granted.max_age);
        let methods = granted.methods.iter().map(|m| Item::Method(m.clone()));
        let headers = granted
            .headers
            .iter()
            .map(|name| Item::Header(name.to_ascii_lowercase()));
        for item in methods.chain(headers) {
            self.entries.retain(|entry| {
                !(entry.url == url && entry.credentials == include && entry.item == item)
            });
            self.entries.push(Entry {
                url: url.to_owned(),
                credentials: include,
                item,
                expires,
            });
        }
    }

    /// Whether a fresh entry for `url` usable in this credentials mode holds an item `wanted`
    /// accepts: one stored with credentials serves calls without them too (fetch
    /// `#concept-cache-match`).
    fn matches(&self, url: &str, include: bool, wanted: impl Fn(&Item) -> bool) -> bool {
        self.entries
            .iter()
            .any(|entry| entry.url == url && (entry.credentials || !include) && wanted(&entry.item))
    }
}

/// Whether a cached `*` covers any name: only for calls without credentials, as Chromium reads
/// it (the standard's cache match would also let a `*` stored by a call with credentials serve
/// the next such call, which its preflight check never allows).
fn star(cached: &str, include: bool) -> bool {
    cached == "*" && !include
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "/items";

    fn granted(methods: &[&str], headers: &[&str], seconds: u64) -> Granted {
        Granted {
            methods: methods.iter().map(|m| (*m).to_owned()).collect(),
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            max_age: Duration::from_secs(seconds),
        }
    }

    fn names(names: &[&'static str]) -> Vec<HeaderName> {
        names
            .iter()
            .map(|name| HeaderName::from_static(name))
            .collect()
    }

    #[test]
    fn an_entry_serves_until_its_max_age_has_passed() {
        let mut cache = Cache::default();
        cache.store(URL, false, &granted(&["PUT"], &["x-api-key"], 5));
        assert!(cache.covers(URL, false, &Method::PUT, &names(&["x-api-key"])));
        cache.advance(Duration::from_millis(4_999));
        assert!(cache.covers(URL, false, &Method::PUT, &[]));
        cache.advance(Duration::from_millis(1));
        assert!(!cache.covers(URL, false, &Method::PUT, &[]));
        assert!(!cache.covers(URL, false, &Method::GET, &names(&["x-api-key"])));
    }

    #[test]
    fn a_max_age_of_zero_caches_nothing() {
        let mut cache = Cache::default();
        cache.store(URL, false, &granted(&["PUT"], &[], 0));
        assert!(!cache.covers(URL, false, &Method::PUT, &[]));
    }

    #[test]
    fn a_new_preflight_renews_the_entries_it_lists() {
        let mut cache = Cache::default();
        cache.store(URL, false, &granted(&["PUT"], &[], 5));
        cache.advance(Duration::from_secs(4));
        cache.store(URL, false, &granted(&["PUT"], &[], 5));
        cache.advance(Duration::from_secs(4));
        assert!(cache.covers(URL, false, &Method::PUT, &[]));
    }

    #[test]
    fn entries_are_kept_per_url_and_credentials_mode() {
        let mut cache = Cache::default();
        cache.store(URL, false, &granted(&["PUT"], &[], 60));
        assert!(!cache.covers("/other", false, &Method::PUT, &[]));
        assert!(!cache.covers(URL, true, &Method::PUT, &[]));
        cache.store("/with", true, &granted(&["PUT"], &[], 60));
        assert!(cache.covers("/with", false, &Method::PUT, &[]));
    }

    #[test]
    fn a_cached_wildcard_covers_all_but_authorization_and_only_without_credentials() {
        let mut cache = Cache::default();
        cache.store(URL, false, &granted(&["*"], &["*"], 60));
        assert!(cache.covers(URL, false, &Method::DELETE, &names(&["x-a", "x-b"])));
        assert!(!cache.covers(URL, false, &Method::GET, &names(&["authorization"])));
        cache.store(URL, true, &granted(&["*"], &["*"], 60));
        assert!(!cache.covers(URL, true, &Method::DELETE, &[]));
        assert!(!cache.covers(URL, true, &Method::GET, &names(&["x-a"])));
    }

    #[test]
    fn header_names_match_in_any_case_and_methods_exactly() {
        let mut cache = Cache::default();
        cache.store(URL, false, &granted(&["PATCH"], &["X-Api-Key"], 60));
        assert!(cache.covers(URL, false, &Method::PATCH, &names(&["x-api-key"])));
        let lower = Method::from_bytes(b"patch").expect("a method");
        assert!(!cache.covers(URL, false, &lower, &[]));
    }
}
