//! The typed AST of `#[cors(...)]` and `cors_policy!` arguments, as written: every entry keeps
//! its span, so that each problem `cors_rules` finds points at its token.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::Path;

/// The arguments of one `#[cors(...)]`, as written.
#[derive(Default)]
pub(crate) struct Args {
    /// `origins = [...]`, or `None` when missing (already reported) or read at startup.
    pub origins: Option<List>,
    /// `origins = env("NAME")` or `origins = SET`: the origins are known only at run time.
    pub origins_later: Option<Later>,
    /// `policy = NAME`: the whole policy is the named one (the other fields are then unset).
    pub policy: Option<Path>,
    /// The `credentials` flag.
    pub credentials: Option<Span>,
    /// The `insecure_http` flag.
    pub insecure_http: Option<Span>,
    /// The `csrf` flag.
    pub csrf: Option<Span>,
    /// `methods = [...]`, or `None` for the default.
    pub methods: Option<List>,
    /// `headers = [...]`.
    pub headers: Option<List>,
    /// `expose = [...]`.
    pub expose: Option<List>,
    /// `max_age = N`.
    pub max_age: Option<MaxAge>,
}

/// Where origins known only at run time come from.
#[derive(Clone)]
pub(crate) enum Later {
    /// `origins = env("NAME")`: read from this variable at startup.
    Env(String),
    /// `origins = SET`: the `static` set of origins at this path, refilled at run time.
    Set(Box<Path>),
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

/// A path as the user wrote it, without the spaces tokens print between them: `crate::TENANTS`.
pub(crate) fn path_text(path: &Path) -> String {
    path.to_token_stream().to_string().replace(' ', "")
}
