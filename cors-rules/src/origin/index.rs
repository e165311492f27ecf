//! Checked origins laid out so that looking one up costs the same for one entry as for a hundred
//! thousand: the origins that a running application loads (from the environment, or into a set
//! it refills), as opposed to the few that `#[cors]` writes out.
//!
//! Exact origins sit in one [`WideTable`]. Patterns sit in another, each under what a matching
//! origin must end with: the host of `http://localhost:*`, the domain of `https://*.example.com`,
//! the domain and port of `https://*.example.com:8443`. A lookup tries the request's host, then
//! each domain it is under (with and without its port): a number of probes bounded by the
//! origin's length, whatever the number of patterns. Each pattern found this way is then checked
//! by the one matcher of patterns, which [`OriginPattern::matches`] calls too, so the index only
//! narrows down and never decides; what the matcher reads of a pattern besides its name sits in
//! the pattern's slot (its [`Shape`]), so that a lookup reads no memory outside the table.

use super::serialized::{Shape, split_host_port};
use super::{HostPattern, MAX_ORIGIN_LEN, OriginPattern, PortPattern, Scheme};
use crate::table::WideTable;

/// Exact origins and patterns, each looked up in constant time.
#[derive(Clone, Debug)]
pub struct Index {
    /// Serialized origins, in the order they were configured.
    exact: Vec<String>,
    /// The exact origins laid out for lookup, compared byte for byte.
    exact_table: WideTable,
    /// The patterns, in the order they were configured.
    patterns: Vec<OriginPattern>,
    /// Each pattern's [`Shape`], by the [`key`] a matching origin ends with.
    keyed: WideTable,
}

impl Index {
    /// Lays out `exact` origins and `patterns`, as checked by
    /// [`check_origins`](crate::config::check_origins).
    ///
    /// # Panics
    /// With `u32::MAX` or more exact origins or patterns.
    #[must_use]
    pub fn new(exact: Vec<String>, patterns: Vec<OriginPattern>) -> Self {
        Self {
            // an exact origin is found or not: its value says nothing
            exact_table: WideTable::new(exact.iter().map(|origin| (origin, 0))),
            exact,
            keyed: WideTable::new(
                patterns
                    .iter()
                    .map(|pattern| (key(pattern), pattern.shape().pack())),
            ),
            patterns,
        }
    }

    /// The exact origins, in the order they were configured.
    #[must_use]
    pub fn exact(&self) -> &[String] {
        &self.exact
    }

    /// The patterns, in the order they were configured.
    #[must_use]
    pub fn patterns(&self) -> &[OriginPattern] {
        &self.patterns
    }

    /// How many origins and patterns there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.exact.len() + self.patterns.len()
    }

    /// Whether there is no origin and no pattern.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the serialized origin `origin` is listed or matches a pattern.
    #[must_use]
    pub fn allows(&self, origin: &[u8]) -> bool {
        // nothing longer can match, and the domains of a longer one would cost more probes
        if origin.len() > MAX_ORIGIN_LEN {
            return false;
        }
        if self.exact_table.contains(origin) {
            return true;
        }
        if self.patterns.is_empty() {
            return false;
        }
        let Some((_, authority)) = Scheme::split(origin) else {
            return false;
        };
        let Some((host, port)) = split_host_port(authority) else {
            return false;
        };
        if self.matches_key(host, host, origin) {
            return true;
        }
        // each domain `host` is under: what follows each `.`, alone and with the port
        let mut at = 0;
        while let Some(dot) = host[at..].iter().position(|&b| b == b'.') {
            at += dot + 1;
            let domain = &host[at..];
            if self.matches_key(domain, domain, origin)
                || (port.is_some() && self.matches_key(&authority[at..], domain, origin))
            {
                return true;
            }
        }
        false
    }

    /// Whether a pattern filed under `key`, whose host or domain is `name`, matches `origin`.
    fn matches_key(&self, key: &[u8], name: &[u8], origin: &[u8]) -> bool {
        self.keyed
            .find(key)
            .any(|shape| Shape::unpack(shape).is_some_and(|shape| shape.matches(name, origin)))
    }
}

/// What every origin `pattern` matches ends with, and what [`Index::allows`] looks it up by: the
/// host, for an exact host; the domain, for subdomains on the default port or any port; the
/// domain and `:port`, for subdomains on one port.
fn key(pattern: &OriginPattern) -> String {
    match (&pattern.host, pattern.port) {
        (HostPattern::Exact(host), _) => host.to_string(),
        (HostPattern::Subdomains(domain), PortPattern::Default | PortPattern::Any) => {
            domain.to_string()
        }
        (HostPattern::Subdomains(domain), PortPattern::Exact(port)) => format!("{domain}:{port}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Origins, check_origins};

    fn index(texts: &[&str]) -> Index {
        let Ok(Origins::List { exact, patterns }) = check_origins(texts, false, false, false)
        else {
            panic!("{texts:?} are valid origins");
        };
        Index::new(exact, patterns)
    }

    #[test]
    fn an_index_allows_exactly_what_its_patterns_match() {
        let index = index(&[
            "https://app.example.com",
            "https://*.example.com",
            "https://*.shop.example:8443",
            "http://localhost:*",
            "http://*.dev.localhost:*",
            "http://[::1]:*",
        ]);
        for origin in [
            "https://app.example.com",
            "https://a.example.com",
            "https://a.b.example.com",
            "https://x.shop.example:8443",
            "http://localhost",
            "http://localhost:3000",
            "http://a.dev.localhost",
            "http://a.dev.localhost:5173",
            "http://[::1]:8080",
        ] {
            assert!(index.allows(origin.as_bytes()), "{origin}");
        }
        for origin in [
            "https://example.com",
            "https://evilexample.com",
            "https://a.example.com.evil.com",
            "http://a.example.com",
            "https://a.example.com:8443",
            "https://x.shop.example",
            "https://shop.example:8443",
            "http://localhost.evil.com:3000",
            "http://dev.localhost",
            "https://localhost:3000",
            "null",
            "",
        ] {
            assert!(!index.allows(origin.as_bytes()), "{origin}");
        }
    }

    #[test]
    fn suffixes_of_listed_domains_are_not_allowed() {
        // a suffix trie that merged `foo.com` and `bar.com` once allowed `barfoo.com`
        let index = index(&["https://*.foo.com", "https://bar.com"]);
        assert!(!index.allows(b"https://barfoo.com"));
        assert!(!index.allows(b"https://bar.foo.com.evil"));
        assert!(index.allows(b"https://bar.foo.com"));
    }

    #[test]
    fn an_index_answers_what_trying_every_entry_answers() {
        let texts = [
            "https://example.com",
            "https://*.example.com",
            "http://*.example.com:*",
            "https://*.a.example.com:8443",
            "http://localhost:*",
            "https://app.example.org:8443",
            "http://[::1]:*",
        ];
        let index = index(&texts);
        let (hosts, ports) = (
            [
                "example.com",
                "a.example.com",
                "b.a.example.com",
                "x.example.org",
                "app.example.org",
                "localhost",
                "a.localhost",
                "[::1]",
                "127.0.0.1",
                "example.com.evil",
                "aexample.com",
            ],
            ["", ":80", ":443", ":8443", ":3000", ":08443", ":"],
        );
        for scheme in ["https://", "http://", "ftp://"] {
            for host in hosts {
                for port in ports {
                    let origin = format!("{scheme}{host}{port}");
                    let scan = index.exact().contains(&origin)
                        || index
                            .patterns()
                            .iter()
                            .any(|p| p.matches(origin.as_bytes()));
                    assert_eq!(index.allows(origin.as_bytes()), scan, "{origin}");
                }
            }
        }
    }

    #[test]
    fn an_index_holds_more_entries_than_a_table_written_in_the_source() {
        let texts: Vec<String> = (0..70_000)
            .map(|i| format!("https://tenant{i}.example.com"))
            .chain((0..70_000).map(|i| format!("https://*.tenant{i}.shop.example")))
            .collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let index = index(&texts);
        assert_eq!(index.len(), 140_000);
        assert!(index.allows(b"https://tenant69999.example.com"));
        assert!(index.allows(b"https://a.tenant69999.shop.example"));
        assert!(!index.allows(b"https://tenant70000.example.com"));
    }
}
