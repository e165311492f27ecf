//! How much code `#[cors]` writes: the expansions of the compile-time benchmark's handlers
//! (`benches/build-time/ours`), counted in tokens and held to a budget, and written out in full
//! for `scripts/bench-build`, which times the same app with the expansions pasted in.

use std::path::Path;
use std::{env, fs};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Item, ItemFn};

use crate::expand;

/// The most tokens one handler's expansion may add beside the handler.
const BUDGET: usize = 1_000;

/// The tokens in `tokens`: a group counts one for its delimiters, plus what it holds.
pub(crate) fn count(tokens: TokenStream) -> usize {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) => 1 + count(group.stream()),
            _ => 1,
        })
        .sum()
}

/// The benchmark fixture's handlers, parsed.
fn fixture() -> syn::File {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../benches/build-time/ours/src/handlers.rs");
    let text = fs::read_to_string(&path).expect("the build-time fixture's handlers");
    syn::parse_file(&text).expect("the fixture parses")
}

/// `function`'s expansion, if `#[cors]` is on it, with the attribute taken off the handler.
fn expansion(function: &ItemFn) -> Option<TokenStream> {
    let mut handler = function.clone();
    let at = handler
        .attrs
        .iter()
        .position(|attribute| attribute.path().is_ident("cors"))?;
    let attribute = handler.attrs.remove(at);
    let args = attribute
        .meta
        .require_list()
        .expect("`#[cors(...)]`")
        .tokens
        .clone();
    Some(expand::cors(args, handler.to_token_stream()))
}

#[test]
fn every_fixture_expansion_stays_within_its_budget() {
    let mut sizes = Vec::new();
    for item in fixture().items {
        let Item::Fn(function) = item else { continue };
        let Some(expansion) = expansion(&function) else {
            continue;
        };
        let added = count(expansion) - count(function.to_token_stream());
        assert!(
            added <= BUDGET,
            "{} adds {added} tokens, over {BUDGET}",
            function.sig.ident
        );
        sizes.push(added);
    }
    // the fixture cycles through five policies, so its first five handlers show every size
    println!(
        "{} expansions: {} tokens beside the handlers; the first five: {:?}",
        sizes.len(),
        sizes.iter().sum::<usize>(),
        &sizes[..5],
    );
}

#[test]
#[ignore = "writes a file; scripts/bench-build runs it with CORS_EXPANDED_HANDLERS set"]
fn write_the_fixture_with_its_expansions_pasted() {
    let out = env::var("CORS_EXPANDED_HANDLERS").expect("CORS_EXPANDED_HANDLERS names the file");
    let mut tokens = TokenStream::new();
    for item in fixture().items {
        match &item {
            Item::Fn(function) => match expansion(function) {
                Some(expansion) => tokens.extend(expansion),
                None => item.to_tokens(&mut tokens),
            },
            _ => item.to_tokens(&mut tokens),
        }
    }
    fs::write(out, tokens.to_string()).expect("the expanded handlers are written");
}
