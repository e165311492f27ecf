//! What the parser keeps of arguments with mistakes.

use super::*;
use crate::ast::List;

fn parsed(tokens: &str) -> (Option<Args>, Vec<String>) {
    let mut errors = Vec::new();
    let args = parse(tokens.parse().unwrap(), Context::Handler, &mut errors);
    (args, errors.iter().map(ToString::to_string).collect())
}

fn texts(list: Option<&List>) -> Vec<&str> {
    list.unwrap()
        .entries
        .iter()
        .map(|e| e.text.as_str())
        .collect()
}

#[test]
fn arguments_after_a_mistake_are_still_parsed() {
    let (args, errors) = parsed(
        r#""https://a.com", colour = red, origins = ["https://b.com"], credentials = "yes", methods = [GET, 5, "PROPFIND"]"#,
    );
    assert_eq!(errors.len(), 4, "{errors:#?}");
    let args = args.unwrap();
    assert_eq!(texts(args.origins.as_ref()), ["https://b.com"]);
    assert!(args.credentials.is_some());
    let methods = args.methods.as_ref();
    assert_eq!(texts(methods), ["GET", "PROPFIND"]);
    assert!(!methods.unwrap().complete);
}

#[test]
fn a_flag_set_to_false_counts_as_off() {
    let (args, errors) = parsed(r#"origins = ["https://a.com"], credentials = false"#);
    assert_eq!(errors.len(), 1);
    assert!(args.unwrap().credentials.is_none());
}

#[test]
fn the_first_of_two_equal_arguments_is_kept() {
    let (args, errors) = parsed(r#"origins = ["https://a.com"], origins = ["https://b.com"]"#);
    assert_eq!(errors.len(), 1);
    assert_eq!(texts(args.unwrap().origins.as_ref()), ["https://a.com"]);
}

#[test]
fn a_misspelt_origins_is_not_also_reported_missing() {
    for tokens in [
        r#"allowed_origins = ["https://a.com"]"#,
        r#"origins = "https://a.com""#,
    ] {
        let (_, errors) = parsed(tokens);
        assert_eq!(errors.len(), 1, "{tokens}: {errors:#?}");
    }
    let (_, errors) = parsed("credentials");
    assert_eq!(errors.len(), 1);
    assert!(errors[0].contains("needs `origins`"), "{errors:#?}");
}

#[test]
fn negative_and_suffixed_max_age_keep_their_value() {
    let (args, _) = parsed(r#"origins = ["https://a.com"], max_age = -1"#);
    assert_eq!(args.unwrap().max_age.unwrap().seconds, -1);
    let (args, errors) = parsed(r#"origins = ["https://a.com"], max_age = 600_u32"#);
    assert!(errors.is_empty());
    assert_eq!(args.unwrap().max_age.unwrap().seconds, 600);
}

/// The parse of `origins = [...], key = list`, with the list as written or, as a `macro_rules!`
/// fragment passes it, inside an invisible group, which only the expression parse reads: the
/// texts of the key's list, and the errors.
fn list_both_ways(key: &str, list: &str) -> [(Option<Vec<String>>, Vec<String>); 2] {
    use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
    let head = r#"origins = ["https://a.com"], "#;
    let plain: TokenStream = format!("{head}{key} = {list}").parse().unwrap();
    let mut grouped: TokenStream = format!("{head}{key} =").parse().unwrap();
    grouped.extend([TokenTree::Group(Group::new(
        Delimiter::None,
        list.parse().unwrap(),
    ))]);
    [plain, grouped].map(|tokens| {
        let mut errors = Vec::new();
        let args = parse(tokens, Context::Handler, &mut errors);
        let list = args.and_then(|args| match key {
            "methods" => args.methods,
            "headers" => args.headers,
            _ => args.expose,
        });
        let texts = list.map(|list| list.entries.into_iter().map(|e| e.text).collect());
        (texts, errors.iter().map(ToString::to_string).collect())
    })
}

#[test]
fn a_list_read_from_its_tokens_reads_as_its_parse_does() {
    for (key, list) in [
        ("methods", "[GET, POST]"),
        ("methods", r#"[GET, "PROPFIND",]"#),
        ("methods", "[get, Self, r#PUT]"),
        ("methods", "[type]"),
        ("methods", "[http::Method::GET]"),
        ("methods", "[]"),
        ("headers", r#"["content-type", "x-api-key"]"#),
        ("headers", r#"["content-type" "x-api-key"]"#),
        ("headers", "[CONTENT_TYPE]"),
        ("headers", r#"["x-a", 5, b"x-b"]"#),
        ("expose", r#"["x-request-id"suffix]"#),
        ("expose", r#"[r"x-request-id"]"#),
    ] {
        let [plain, grouped] = list_both_ways(key, list);
        assert_eq!(plain, grouped, "{key} = {list}");
    }
}
