//! The arguments of `#[cors(...)]`, parsed into a typed AST that keeps every token's span.
//!
//! Only the shape is checked here: that each key exists and is given once, that lists are arrays
//! of string literals (or of method names), that flags take no value and that `max_age` is an
//! integer. Whether the values make a sound policy is for [`crate::valid`] to say, through
//! `cors_rules`, so that no rule is written twice.

use cors_rules::config::MAX_AGE_LIMIT;
use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::parse::{ParseStream, Parser};
use syn::{Error, Expr, ExprCall, ExprLit, Lit, Path, Token, UnOp};

/// The arguments of one `#[cors(...)]`, as written.
#[derive(Default)]
pub(crate) struct Args {
    /// `origins = [...]`, or `None` when missing (already reported) or read at startup.
    pub origins: Option<List>,
    /// `origins = env("NAME")`: the origins are read from this variable at startup.
    pub origins_env: Option<String>,
    /// `policy = NAME`: the whole policy is the named one (the other fields are then unset).
    pub policy: Option<Path>,
    /// The `credentials` flag.
    pub credentials: Option<Span>,
    /// The `insecure_http` flag.
    pub insecure_http: Option<Span>,
    /// `methods = [...]`, or `None` for the default.
    pub methods: Option<List>,
    /// `headers = [...]`.
    pub headers: Option<List>,
    /// `expose = [...]`.
    pub expose: Option<List>,
    /// `max_age = N`.
    pub max_age: Option<MaxAge>,
}

/// A list argument: `origins = ["https://app.example.com"]`.
pub(crate) struct List {
    /// The brackets, from `[` to `]`: where a problem with the list as a whole is reported.
    pub brackets: Span,
    /// The entries of the right shape, in order (the others were reported and left out).
    pub entries: Vec<Entry>,
    /// Whether every entry had the right shape, so that `entries` is the whole list.
    pub complete: bool,
}

/// One entry of a list: a string literal, or an identifier in `methods`.
pub(crate) struct Entry {
    /// The value of the literal, or the name of the identifier.
    pub text: String,
    /// The literal or identifier.
    pub span: Span,
}

/// `max_age = N`.
pub(crate) struct MaxAge {
    /// The number as written; it may be negative or too large, which `cors_rules` reports.
    pub seconds: i128,
    /// The number, with its `-` if any.
    pub tokens: TokenStream,
}

/// Where the arguments are written: they are the same, but for `policy`, which only a handler's
/// attribute may name.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    /// `#[cors(...)]` on a handler.
    Handler,
    /// `cors_policy!(NAME, ...)`.
    Named,
}

/// The keys `#[cors(...)]` accepts, in the order the documentation lists them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Origins,
    Credentials,
    InsecureHttp,
    Methods,
    Headers,
    Expose,
    MaxAge,
    Policy,
}

impl Key {
    const ALL: [Self; 8] = [
        Self::Origins,
        Self::Credentials,
        Self::InsecureHttp,
        Self::Methods,
        Self::Headers,
        Self::Expose,
        Self::MaxAge,
        Self::Policy,
    ];

    const fn name(self) -> &'static str {
        match self {
            Self::Policy => "policy",
            Self::Origins => "origins",
            Self::Credentials => "credentials",
            Self::InsecureHttp => "insecure_http",
            Self::Methods => "methods",
            Self::Headers => "headers",
            Self::Expose => "expose",
            Self::MaxAge => "max_age",
        }
    }

    /// How the argument is written, for messages that show the fix.
    const fn example(self) -> &'static str {
        match self {
            Self::Policy => "policy = FRONTEND",
            Self::Origins => r#"origins = ["https://app.example.com"]"#,
            Self::Credentials => "credentials",
            Self::InsecureHttp => "insecure_http",
            Self::Methods => "methods = [GET, POST]",
            Self::Headers => r#"headers = ["content-type"]"#,
            Self::Expose => r#"expose = ["x-request-id"]"#,
            Self::MaxAge => "max_age = 600",
        }
    }

    /// What one entry of the list is, for "expected ..." messages.
    const fn entry(self) -> &'static str {
        match self {
            Self::Origins => r#"an origin as a string literal, as in `"https://app.example.com"`"#,
            Self::Methods => r#"a method name, as in `GET` or `"PROPFIND"`"#,
            Self::Headers => r#"a header name as a string literal, as in `"x-api-key"`"#,
            _ => r#"a header name as a string literal, as in `"x-request-id"`"#,
        }
    }
}

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
        let name = policy.to_token_stream().to_string().replace(' ', "");
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
struct State<'e> {
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
            skip_value(meta.input)?;
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
            return Ok(());
        };
        // `policy`, even malformed, stands for the whole policy and its origins
        self.origins_named |= matches!(key, Key::Origins | Key::Policy);
        let duplicate = self.seen.iter().any(|(seen, _)| *seen == key);
        self.seen.push((key, span));
        if duplicate {
            let fix = match key {
                Key::Credentials | Key::InsecureHttp | Key::MaxAge => "remove this one",
                _ => "merge the two lists into one",
            };
            self.errors.push(Error::new_spanned(
                &meta.path,
                format!("`{}` is given twice; {fix}", key.name()),
            ));
        }
        match key {
            Key::Credentials | Key::InsecureHttp => {
                let set = self.flag(key, meta)?;
                let flag = if key == Key::Credentials {
                    &mut self.args.credentials
                } else {
                    &mut self.args.insecure_http
                };
                if set && !duplicate {
                    *flag = Some(span);
                }
            }
            Key::MaxAge => {
                let max_age = self.max_age(meta)?;
                if !duplicate {
                    self.args.max_age = max_age;
                }
            }
            Key::Policy => {
                let policy = self.policy(meta)?;
                if !duplicate {
                    self.args.policy = policy;
                }
            }
            Key::Origins if meta.input.peek(Token![=]) && is_env_call(meta.input) => {
                let variable = self.env(meta)?;
                if !duplicate {
                    self.args.origins_env = variable;
                }
            }
            Key::Origins | Key::Methods | Key::Headers | Key::Expose => {
                let list = self.list(key, meta)?;
                let slot = match key {
                    Key::Origins => &mut self.args.origins,
                    Key::Methods => &mut self.args.methods,
                    Key::Headers => &mut self.args.headers,
                    _ => &mut self.args.expose,
                };
                if !duplicate {
                    *slot = list;
                }
            }
        }
        Ok(())
    }

    /// Parses `= NAME` after `policy`: the path of a policy declared with `cors_policy!`.
    fn policy(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<Path>> {
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
    fn env(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<String>> {
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

    /// Parses a flag, which takes no value, and says whether it is set.
    ///
    /// A flag given a value is an error; it counts as set unless the value is `false`, so that
    /// the checks that depend on it do what the user meant.
    fn flag(&mut self, key: Key, meta: &ParseNestedMeta<'_>) -> syn::Result<bool> {
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
    fn max_age(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<MaxAge>> {
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
    fn list(&mut self, key: Key, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<List>> {
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
    fn value(&mut self, key: Key, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<Expr>> {
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
fn is_env_call(input: ParseStream<'_>) -> bool {
    let fork = input.fork();
    fork.parse::<Token![=]>().is_ok()
        && fork
            .parse::<Expr>()
            .is_ok_and(|expr| matches!(ungroup(expr), Expr::Call(call) if is_env(&call)))
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
fn skip_value(input: ParseStream<'_>) -> syn::Result<TokenStream> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
