//! The Public Suffix List, which says where anyone can register a name: a wildcard over such a
//! suffix (`https://*.github.io`) allows every site registered under it.
//!
//! The list is `public_suffix_list.dat` beside this file: every rule of both sections, in
//! punycode, sorted byte-wise, one a line, written by `scripts/public-suffixes`.

use std::sync::OnceLock;

/// The list's rules (`com`, `*.ck`, `!www.ck`, ...), sorted, for binary search.
fn rules() -> &'static [&'static str] {
    static RULES: OnceLock<Vec<&'static str>> = OnceLock::new();
    RULES.get_or_init(|| {
        include_str!("public_suffix_list.dat")
            .lines()
            .filter(|line| !line.starts_with("//"))
            .collect()
    })
}

/// Whether `domain` is a public suffix: a rule of the list itself, or under a `*.` rule without
/// a `!` exception (the list's own format, <https://publicsuffix.org/list/>).
pub(crate) fn is_public_suffix(domain: &str) -> bool {
    let listed = |rule: &str| rules().binary_search(&rule).is_ok();
    listed(domain)
        || domain.split_once('.').is_some_and(|(_, parent)| {
            listed(&format!("*.{parent}")) && !listed(&format!("!{domain}"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_are_sorted_as_binary_search_needs() {
        assert!(rules().len() > 10_000);
        assert!(rules().windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn suffixes_of_both_sections_are_public_and_registered_names_are_not() {
        for suffix in ["com", "co.uk", "github.io", "xn--p1ai", "anything.ck"] {
            assert!(is_public_suffix(suffix), "{suffix}");
        }
        for name in [
            "example.com",
            "example.co.uk",
            "me.github.io",
            "www.ck",
            "localhost",
        ] {
            assert!(!is_public_suffix(name), "{name}");
        }
    }
}
