//! The arguments of `#[cors(...)]`, parsed into a typed AST that keeps every token's span.
//!
//! Only the shape is checked here: that each key exists and is given once, that lists are arrays
//! of string literals (or of method names), that flags take no value and that `max_age` is an
//! integer. Whether the values make a sound policy is for [`crate::valid`] to say, through
//! `cors_rules`, so that no rule is written twice.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::{Error, Token};

use crate::ast::{Args, Context, Later, path_text};
use key::Key;

mod key;
mod value;

/// Parses the arguments of `#[cors(...)]`, pushing every shape error onto `errors`.
///
/// Returns `None` only when the tokens are not a comma-separated list of arguments at all, after
/// which nothing else is worth checking.
pub(crate) fn parse(
    tokens: TokenStream,
    context: Context,
    errors: &mut Vec<Error>,
) -> Option<Args> {
    let before = errors.len();
    let tokens = take_unnamed(tokens, errors);
    // `#[cors("https://app.example.com")]` was told to write `origins = [...]`, not to add it
    let unnamed = errors.len() > before;
    let mut state = State {
        args: Args::default(),
        seen: Vec::new(),
        origins_named: false,
        context,
        errors,
    };
    let parsed = syn::meta::parser(|meta| state.argument(&meta)).parse2(tokens);
    let State {
        args,
        errors,
        origins_named,
        seen,
        ..
    } = state;
    if let Err(error) = parsed {
        errors.push(error);
        return None;
    }
    if let Some(policy) = &args.policy {
        let name = path_text(policy);
        for (key, span) in seen.iter().filter(|(key, _)| *key != Key::Policy) {
            errors.push(Error::new(
                *span,
                format!(
                    "`{}` cannot be set beside `policy = {name}`, which brings the whole policy; remove `{}`, or declare another policy with `cors_policy!`",
                    key.name(),
                    key.name()
                ),
            ));
        }
        return Some(args);
    }
    if !origins_named && !unnamed {
        let (what, whom) = match context {
            Context::Handler => ("`#[cors]`", "this handler"),
            Context::Named => ("`cors_policy!`", "its handlers"),
        };
        errors.push(Error::new(
            Span::call_site(),
            format!(
                "{what} needs `origins`, the origins that may call {whom}; add `{}`",
                Key::Origins.example()
            ),
        ));
    }
    Some(args)
}

/// Takes out, and reports, the arguments that are a bare list or literal
/// (`#[cors("https://app.example.com")]`), the likeliest first try, which the meta parser cannot
/// skip over.
fn take_unnamed(tokens: TokenStream, errors: &mut Vec<Error>) -> TokenStream {
    let mut named = TokenStream::new();
    let mut tokens = tokens.into_iter().peekable();
    while tokens.peek().is_some() {
        let mut argument = TokenStream::new();
        let mut comma = None;
        for token in tokens.by_ref() {
            if matches!(&token, TokenTree::Punct(punct) if punct.as_char() == ',') {
                comma = Some(token);
                break;
            }
            argument.extend([token]);
        }
        let list = match argument.clone().into_iter().next() {
            Some(TokenTree::Literal(_)) => format!("[{argument}]"),
            Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Bracket => {
                argument.to_string()
            }
            _ => {
                named.extend(argument.into_iter().chain(comma));
                continue;
            }
        };
        errors.push(Error::new_spanned(
            argument,
            format!("`#[cors]` arguments are named; write `origins = {list}`"),
        ));
    }
    named
}

/// What parsing has gathered so far.
pub(super) struct State<'e> {
    args: Args,
    /// The keys given so far and where, to refuse a second one.
    seen: Vec<(Key, Span)>,
    /// Whether an argument meant as `origins` was given, even misspelt or malformed, so that
    /// its mistake is not reported a second time as `origins` missing.
    origins_named: bool,
    /// Where the arguments are written.
    context: Context,
    errors: &'e mut Vec<Error>,
}

impl State<'_> {
    /// Parses one `key`, `key = value` or unknown argument.
    ///
    /// A mistake in the argument is pushed onto `errors` and its tokens skipped, so the next
    /// argument is still checked; only tokens that cannot be skipped fail the whole parse.
    fn argument(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        let key = meta.path.get_ident().and_then(|ident| {
            let name = ident.unraw();
            let key = Key::ALL.into_iter().find(|key| name == key.name())?;
            Some((key, ident.span()))
        });
        let Some((key, span)) = key else {
            return self.unknown(meta);
        };
        // `policy`, even malformed, stands for the whole policy and its origins
        self.origins_named |= matches!(key, Key::Origins | Key::Policy);
        let first = self.first(key, span, meta);
        match key {
            Key::Credentials | Key::InsecureHttp | Key::Csrf => {
                let set = self.flag(key, meta)?;
                let flag = match key {
                    Key::Credentials => &mut self.args.credentials,
                    Key::InsecureHttp => &mut self.args.insecure_http,
                    _ => &mut self.args.csrf,
                };
                if set && first {
                    *flag = Some(span);
                }
            }
            Key::MaxAge => {
                let max_age = self.max_age(meta)?;
                keep(first, &mut self.args.max_age, max_age);
            }
            Key::Policy => {
                let policy = self.policy(meta)?;
                keep(first, &mut self.args.policy, policy);
            }
            Key::Origins if meta.input.peek(Token![=]) && value::is_env_call(meta.input) => {
                let variable = self.env(meta)?.map(Later::Env);
                keep(first, &mut self.args.origins_later, variable);
            }
            Key::Origins if meta.input.peek(Token![=]) && value::is_path(meta.input) => {
                let set = self.set(meta)?.map(|path| Later::Set(Box::new(path)));
                keep(first, &mut self.args.origins_later, set);
            }
            Key::Origins | Key::Methods | Key::Headers | Key::Expose => {
                let list = self.list(key, meta)?;
                let slot = match key {
                    Key::Origins => &mut self.args.origins,
                    Key::Methods => &mut self.args.methods,
                    Key::Headers => &mut self.args.headers,
                    _ => &mut self.args.expose,
                };
                keep(first, slot, list);
            }
        }
        Ok(())
    }

    /// Reports an argument whose key is not one of ours, and skips it.
    fn unknown(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        value::skip_value(meta.input)?;
        let path: Vec<String> = meta
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let path = path.join("::");
        // `origin`, `allowed_origins`: a misspelt `origins`
        self.origins_named |= path.to_ascii_lowercase().contains("origin");
        let expected = Key::ALL.map(|key| format!("`{}`", key.name())).join(", ");
        self.errors.push(Error::new_spanned(
            &meta.path,
            format!("unknown `cors` argument `{path}`; expected one of {expected}"),
        ));
        Ok(())
    }

    /// Records that `key` was given at `span`; says whether it is the first time, and reports it
    /// when it is not.
    fn first(&mut self, key: Key, span: Span, meta: &ParseNestedMeta<'_>) -> bool {
        let duplicate = self.seen.iter().any(|(seen, _)| *seen == key);
        self.seen.push((key, span));
        if duplicate {
            let fix = match key {
                Key::Credentials | Key::InsecureHttp | Key::Csrf | Key::MaxAge => "remove this one",
                _ => "merge the two lists into one",
            };
            self.errors.push(Error::new_spanned(
                &meta.path,
                format!("`{}` is given twice; {fix}", key.name()),
            ));
        }
        !duplicate
    }
}

/// Keeps the value of an argument given the `first` time; a second one was reported.
fn keep<T>(first: bool, slot: &mut Option<T>, value: Option<T>) {
    if first {
        *slot = value;
    }
}

#[cfg(test)]
mod tests;
