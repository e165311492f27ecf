//! The constant data of a policy, written as Rust source: its rules, its listed origins and their
//! tables. None of it carries a span of the user's, so it is written as text and handed to the
//! compiler in one piece, which costs it far less than the same tokens built one at a time.

use std::fmt::{Display, Write};

use cors_rules::config::{Methods, Origins, Valid};
use cors_rules::origin::{HostPattern, OriginPattern, PortPattern, Scheme};
use cors_rules::table::{Case, layout};
use proc_macro2::TokenStream;

/// Source text the expansion wrote, as tokens: read by the compiler's own lexer when the macro
/// runs in it (`proc_macro2` would first check the text with a lexer of its own), by
/// `proc_macro2`'s in unit tests.
pub(crate) fn tokens(text: &str) -> TokenStream {
    let tokens = if proc_macro::is_available() {
        text.parse::<proc_macro::TokenStream>()
            .map(TokenStream::from)
            .map_err(|error| error.to_string())
    } else {
        text.parse()
            .map_err(|error: proc_macro2::LexError| error.to_string())
    };
    tokens.unwrap_or_else(|error| panic!("the expansion wrote invalid Rust ({error}): {text}"))
}

/// `Rules::new(...)`: everything but the origins, rendered by `cors_rules`.
pub(crate) fn rules(valid: &Valid) -> String {
    let methods = match &valid.methods {
        Methods::Any => strings(["*"]),
        Methods::List(methods) => strings(methods.iter().map(String::as_str)),
    };
    let names = &valid.headers.names;
    let star = valid.headers.any.then_some("*");
    let headers = strings(star.into_iter().chain(names.iter().map(String::as_str)));
    let max_age = valid
        .max_age
        .map(|seconds| seconds.to_string())
        .unwrap_or_default();
    format!(
        "::cors_runtime::__private::Rules::new({}, {}, {:?}, {}, {}, {:?}, {}, {:?}, {:?}){}",
        valid.credentials,
        methods,
        valid.allow_methods,
        headers,
        slots(names, Case::Insensitive),
        valid.allow_headers.as_deref().unwrap_or_default(),
        strings(valid.expose.iter().map(String::as_str)),
        valid.expose_headers.as_deref().unwrap_or_default(),
        max_age,
        if valid.csrf { ".with_csrf()" } else { "" },
    )
}

/// A block that builds a policy with listed origins (or any), `rules` its rules: the exact
/// origins and the patterns each in a `static` of their own, which the policy borrows (as a
/// constant, origins have interior mutability, E0492, and patterns a destructor, E0493).
pub(crate) fn listed_policy(origins: &Origins, rules: &str) -> String {
    let Origins::List { exact, patterns } = origins else {
        return format!(
            "::cors_runtime::__private::Policy::new(::cors_runtime::__private::AllowedOrigins::ANY, {rules})"
        );
    };
    let mut block = String::from("{");
    let exact_values: Vec<String> = exact
        .iter()
        .map(|origin| format!("::cors_runtime::__private::HeaderValue::from_static({origin:?})"))
        .collect();
    let exact_ref = listed(&mut block, "__CORS_EXACT", "HeaderValue", &exact_values);
    let pattern_values: Vec<String> = patterns.iter().map(pattern).collect();
    let patterns = listed(
        &mut block,
        "__CORS_PATTERNS",
        "OriginPattern",
        &pattern_values,
    );
    let slots = slots(exact, Case::Sensitive);
    let _ = write!(
        block,
        "::cors_runtime::__private::Policy::new(::cors_runtime::__private::AllowedOrigins::listed({exact_ref}, {slots}, {patterns}), {rules})}}"
    );
    block
}

/// Writes a `static` array `name` of `values` into `block`, if there are any, and returns what
/// borrows them.
fn listed(block: &mut String, name: &str, ty: &str, values: &[String]) -> String {
    if values.is_empty() {
        return "&[]".to_owned();
    }
    let _ = write!(
        block,
        "static {name}: [::cors_runtime::__private::{ty}; {}] = [{}];",
        values.len(),
        comma_separated(values)
    );
    format!("&{name}")
}

/// `&["a", "b"]`.
fn strings<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let quoted = values.into_iter().map(|value| format!("{value:?}"));
    format!("&[{}]", comma_separated(quoted))
}

/// The slots of a table of `keys`, laid out here.
fn slots(keys: &[String], case: Case) -> String {
    format!("&[{}]", comma_separated(layout(keys, case)))
}

/// `items` one after the other, with `, ` between them.
fn comma_separated<T: Display>(items: impl IntoIterator<Item = T>) -> String {
    let mut text = String::new();
    for (i, item) in items.into_iter().enumerate() {
        let comma = if i == 0 { "" } else { ", " };
        let _ = write!(text, "{comma}{item}");
    }
    text
}

/// One origin pattern.
fn pattern(pattern: &OriginPattern) -> String {
    // only `http` and `https` have patterns; the other arms keep the match exhaustive
    let scheme = match pattern.scheme {
        Scheme::Http => "Http",
        Scheme::Https => "Https",
        Scheme::Capacitor => "Capacitor",
        Scheme::Ionic => "Ionic",
        Scheme::App => "App",
        Scheme::Tauri => "Tauri",
        Scheme::ChromeExtension => "ChromeExtension",
        Scheme::MozExtension => "MozExtension",
        Scheme::SafariWebExtension => "SafariWebExtension",
        Scheme::VscodeWebview => "VscodeWebview",
    };
    let host = match &pattern.host {
        HostPattern::Exact(host) => format!("exact({host:?})"),
        HostPattern::Subdomains(domain) => format!("subdomains({domain:?})"),
    };
    let port = match pattern.port {
        PortPattern::Default => "Default".to_owned(),
        PortPattern::Exact(port) => format!("Exact({port})"),
        PortPattern::Any => "Any".to_owned(),
    };
    format!(
        "::cors_runtime::__private::OriginPattern {{ scheme: ::cors_runtime::__private::Scheme::{scheme}, host: ::cors_runtime::__private::HostPattern::{host}, port: ::cors_runtime::__private::PortPattern::{port} }}"
    )
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// What `{:?}` writes of any text is a string literal that reads back as that text: the
        /// origins, names and header values this module writes are quoted so.
        #[test]
        fn text_is_written_as_a_literal_of_itself(text in any::<String>()) {
            let literal: syn::LitStr = syn::parse2(super::tokens(&format!("{text:?}"))).unwrap();
            prop_assert_eq!(literal.value(), text);
        }
    }
}
