//! The value of each argument: a flag, a list, `max_age = N`, `policy = NAME`,
//! `origins = env("NAME")`, `origins = SET`.

use cors_rules::config::MAX_AGE_LIMIT;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::parse::{ParseStream, discouraged::Speculative};
use syn::{Error, Expr, ExprCall, ExprLit, Lit, Path, Token, UnOp};

use super::State;
use super::key::Key;
use crate::ast::{Context, Entry, List, MaxAge};

impl State<'_> {
    /// Parses `= NAME` after `policy`: the path of a policy declared with `cors_policy!`.
    pub(super) fn policy(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<Path>> {
        if self.context == Context::Named {
            skip_value(meta.input)?;
            self.errors.push(Error::new_spanned(
                &meta.path,
                "`policy` names a policy for a handler, `#[cors(policy = NAME)]`; a named policy cannot take another one",
            ));
            return Ok(None);
        }
        let Some(expr) = self.value(Key::Policy, meta)? else {
            return Ok(None);
        };
        match expr {
            Expr::Path(path) if path.attrs.is_empty() && path.qself.is_none() => {
                Ok(Some(path.path))
            }
            other => {
                let fix = match &other {
                    Expr::Lit(ExprLit {
                        lit: Lit::Str(text),
                        ..
                    }) => format!("policy = {}", text.value()),
                    _ => Key::Policy.example().to_owned(),
                };
                self.errors.push(Error::new_spanned(
                    other,
                    format!("`policy` takes the name of a policy declared with `cors_policy!`; write `{fix}`"),
                ));
                Ok(None)
            }
        }
    }

    /// Parses `= env("NAME")` after `origins`.
    pub(super) fn env(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<String>> {
        let Some(Expr::Call(call)) = self.value(Key::Origins, meta)? else {
            return Ok(None);
        };
        let tokens = call.to_token_stream();
        let argument = call.args.first().cloned().map(ungroup);
        let (
            1,
            Some(Expr::Lit(ExprLit {
                lit: Lit::Str(name),
                ..
            })),
        ) = (call.args.len(), argument)
        else {
            self.errors.push(Error::new_spanned(
                tokens,
                "`env` takes the name of one environment variable; write `origins = env(\"CORS_ORIGINS\")`",
            ));
            return Ok(None);
        };
        let name = name.value();
        if name.is_empty() || name.contains(['=', '\0']) || name.contains(char::is_whitespace) {
            self.errors.push(Error::new_spanned(
                tokens,
                format!("`{name}` cannot be the name of an environment variable; write a name such as `\"CORS_ORIGINS\"`"),
            ));
            return Ok(None);
        }
        Ok(Some(name))
    }

    /// Parses `= SET` after `origins`: the path of a `static` set of origins, whose type the
    /// expansion checks.
    pub(super) fn set(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<Path>> {
        match self.value(Key::Origins, meta)? {
            Some(Expr::Path(path)) => Ok(Some(path.path)),
            _ => Ok(None),
        }
    }

    /// Parses a flag, which takes no value, and says whether it is set.
    ///
    /// A flag given a value is an error; it counts as set unless the value is `false`, so that
    /// the checks that depend on it do what the user meant.
    pub(super) fn flag(&mut self, key: Key, meta: &ParseNestedMeta<'_>) -> syn::Result<bool> {
        let value: Vec<TokenTree> = skip_value(meta.input)?.into_iter().collect();
        if value.is_empty() {
            return Ok(true);
        }
        let off = matches!(
            value.as_slice(),
            [TokenTree::Punct(eq), TokenTree::Ident(no)] if eq.as_char() == '=' && no == "false"
        );
        let name = key.name();
        let fix = if off {
            format!("to leave `{name}` off, remove it")
        } else {
            format!("write `{name}` alone")
        };
        self.errors
            .push(meta.error(format!("`{name}` is a flag and takes no value; {fix}")));
        Ok(!off)
    }

    /// Parses `= N` after `max_age`; `None` when it is not an integer literal (reported).
    pub(super) fn max_age(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<MaxAge>> {
        let Some(expr) = self.value(Key::MaxAge, meta)? else {
            return Ok(None);
        };
        let tokens = expr.to_token_stream();
        let (negative, literal) = match expr {
            Expr::Unary(unary) if matches!(unary.op, UnOp::Neg(_)) => (true, ungroup(*unary.expr)),
            other => (false, other),
        };
        let error = match literal {
            Expr::Lit(ExprLit {
                lit: Lit::Int(int), ..
            }) => match int.base10_parse::<i128>() {
                Ok(seconds) => {
                    let seconds = if negative { -seconds } else { seconds };
                    return Ok(Some(MaxAge { seconds, tokens }));
                }
                Err(_) => format!("`max_age` is out of range; write at most `{MAX_AGE_LIMIT}`"),
            },
            Expr::Lit(ExprLit {
                lit: Lit::Str(text),
                ..
            }) if !negative && text.value().parse::<u32>().is_ok() => format!(
                "`max_age` is a number of seconds, not a string; write `max_age = {}`",
                text.value()
            ),
            _ => format!(
                "`max_age` is a whole number of seconds; write `{}`",
                Key::MaxAge.example()
            ),
        };
        self.errors.push(Error::new_spanned(tokens, error));
        Ok(None)
    }

    /// Parses `= [...]` after a list key; `None` when the value is not an array (reported).
    pub(super) fn list(
        &mut self,
        key: Key,
        meta: &ParseNestedMeta<'_>,
    ) -> syn::Result<Option<List>> {
        if let Some(list) = plain_list(key, meta.input) {
            return Ok(Some(list));
        }
        let Some(expr) = self.value(key, meta)? else {
            return Ok(None);
        };
        let Expr::Array(array) = expr else {
            let fix = match &expr {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(text),
                    ..
                }) => format!("{} = [{}]", key.name(), text.to_token_stream()),
                _ => key.example().to_owned(),
            };
            self.errors.push(Error::new_spanned(
                expr,
                format!(
                    "`{}` takes a list, even of one entry; write `{fix}`",
                    key.name()
                ),
            ));
            return Ok(None);
        };
        let mut list = List {
            brackets: array.bracket_token.span.join(),
            entries: Vec::new(),
            complete: true,
        };
        for element in array.elems {
            match entry(key, &ungroup(element)) {
                Ok(entry) => list.entries.push(entry),
                Err(error) => {
                    list.complete = false;
                    self.errors.push(error);
                }
            }
        }
        Ok(Some(list))
    }

    /// Parses `= value` after `key`; `None` when the `=` is missing (reported, value skipped).
    pub(super) fn value(
        &mut self,
        key: Key,
        meta: &ParseNestedMeta<'_>,
    ) -> syn::Result<Option<Expr>> {
        if meta.input.peek(Token![=]) {
            let expr: Expr = meta.value()?.parse()?;
            return Ok(Some(ungroup(expr)));
        }
        skip_value(meta.input)?;
        let what = if key == Key::MaxAge {
            "a number of seconds"
        } else {
            "a list"
        };
        self.errors.push(meta.error(format!(
            "`{}` takes {what}; write `{}`",
            key.name(),
            key.example()
        )));
        Ok(None)
    }
}

/// Reads `= [...]` straight from its tokens when every entry is a string literal (or, in
/// `methods`, an identifier) and the list ends the argument: how lists are nearly always
/// written, read without parsing an expression. Anything else is left to [`State::list`]'s
/// parse, and consumes nothing.
fn plain_list(key: Key, input: ParseStream<'_>) -> Option<List> {
    let fork = input.fork();
    let (Ok(_), Ok(TokenTree::Group(group))) = (fork.parse::<Token![=]>(), fork.parse()) else {
        return None;
    };
    if group.delimiter() != Delimiter::Bracket || !(fork.is_empty() || fork.peek(Token![,])) {
        return None;
    }
    let mut entries = Vec::new();
    let mut tokens = group.stream().into_iter();
    while let Some(token) = tokens.next() {
        let entry = match token {
            TokenTree::Literal(literal) => match Lit::new(literal) {
                Lit::Str(text) => Entry {
                    text: text.value(),
                    span: text.span(),
                },
                _ => return None,
            },
            // a lowercase name may be a keyword, which the parse reports as it should
            TokenTree::Ident(ident)
                if key == Key::Methods
                    && ident.to_string().bytes().any(|b| b.is_ascii_uppercase()) =>
            {
                Entry {
                    text: ident.unraw().to_string(),
                    span: ident.span(),
                }
            }
            _ => return None,
        };
        entries.push(entry);
        match tokens.next() {
            None => break,
            Some(TokenTree::Punct(comma)) if comma.as_char() == ',' => {}
            Some(_) => return None,
        }
    }
    input.advance_to(&fork);
    Some(List {
        brackets: group.span(),
        entries,
        complete: true,
    })
}

/// Reads one list entry: a string literal, or also an identifier in `methods`.
fn entry(key: Key, element: &Expr) -> syn::Result<Entry> {
    match element {
        Expr::Lit(ExprLit {
            lit: Lit::Str(text),
            attrs,
        }) if attrs.is_empty() => {
            return Ok(Entry {
                text: text.value(),
                span: text.span(),
            });
        }
        Expr::Path(path)
            if key == Key::Methods && path.attrs.is_empty() && path.qself.is_none() =>
        {
            if let Some(ident) = path.path.get_ident() {
                return Ok(Entry {
                    text: ident.unraw().to_string(),
                    span: ident.span(),
                });
            }
        }
        _ => {}
    }
    let mut message = format!("expected {}", key.entry());
    // `headers = [CONTENT_TYPE]`, `expose = [header::ETAG]`: the constants of the `http` crate
    if let (Key::Headers | Key::Expose, Expr::Path(path)) = (key, element)
        && let Some(last) = path.path.segments.last()
    {
        let name = last
            .ident
            .unraw()
            .to_string()
            .to_ascii_lowercase()
            .replace('_', "-");
        message = format!("expected a header name as a string literal; write `\"{name}\"`");
    }
    Err(Error::new_spanned(element, message))
}

/// Whether the value after `=` is a call to `env(...)`, without consuming it.
pub(super) fn is_env_call(input: ParseStream<'_>) -> bool {
    peek_value(input).is_some_and(|expr| matches!(expr, Expr::Call(call) if is_env(&call)))
}

/// Whether the value after `=` is a path (`TENANTS`, `crate::TENANTS`), without consuming it.
pub(super) fn is_path(input: ParseStream<'_>) -> bool {
    peek_value(input).is_some_and(
        |expr| matches!(expr, Expr::Path(path) if path.attrs.is_empty() && path.qself.is_none()),
    )
}

/// The expression after `=`, out of its invisible groups, parsed without consuming it; nothing
/// for a list, the usual value, which is neither a call nor a path and is not parsed here.
fn peek_value(input: ParseStream<'_>) -> Option<Expr> {
    let fork = input.fork();
    fork.parse::<Token![=]>().ok()?;
    if fork.peek(syn::token::Bracket) {
        return None;
    }
    fork.parse::<Expr>().ok().map(ungroup)
}

fn is_env(call: &ExprCall) -> bool {
    matches!(&*call.func, Expr::Path(path) if path.path.is_ident("env"))
}

/// Sees through the invisible groups around `macro_rules!` fragments (`$origin:literal` becomes
/// a group holding the literal), so the attribute reads the same inside a macro as outside.
fn ungroup(expr: Expr) -> Expr {
    match expr {
        Expr::Group(group) => ungroup(*group.expr),
        other => other,
    }
}

/// Skips the tokens of one argument's value, up to the next top-level `,`, and returns them.
pub(super) fn skip_value(input: ParseStream<'_>) -> syn::Result<TokenStream> {
    input.step(|cursor| {
        let mut rest = *cursor;
        let mut skipped = TokenStream::new();
        while let Some((token, next)) = rest.token_tree() {
            if matches!(&token, TokenTree::Punct(comma) if comma.as_char() == ',') {
                break;
            }
            skipped.extend([token]);
            rest = next;
        }
        Ok((skipped, rest))
    })
}
