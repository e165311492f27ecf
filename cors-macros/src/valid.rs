//! Checks the parsed arguments with `cors_rules` and points each problem at its tokens.
//!
//! Every rule lives in `cors_rules::config::validate`, which the runtime applies too; this module
//! only builds its input from [`Args`] and maps each [`Site`] back to a span. A conflict between
//! two arguments (`credentials` with `"*"`) is reported at both ends, with the same message.

use cors_rules::config::{self, Config, Valid};
use cors_rules::{Problem, Site};
use proc_macro2::{Span, TokenStream};
use syn::{Error, Path};

use crate::ast::{Args, Later, List};

/// Where a handler's policy comes from, once its arguments are sound.
pub(crate) enum Source {
    /// Its own arguments, checked; with where its origins come from at run time, if they do.
    Own(Valid, Option<Later>),
    /// A policy declared with `cors_policy!`.
    Named(Path),
}

/// Where the policy of a handler with these arguments comes from, if they are sound.
pub(crate) fn source(args: Args, errors: &mut Vec<Error>) -> Option<Source> {
    if let Some(path) = args.policy {
        return Some(Source::Named(path));
    }
    let variable = args.origins_later.clone();
    check(&args, errors).map(|valid| Source::Own(valid, variable))
}

/// Validates `args`, pushing every problem onto `errors`; `Some` when there was none.
pub(crate) fn check(args: &Args, errors: &mut Vec<Error>) -> Option<Valid> {
    let config = Config {
        origins: texts(args.origins.as_ref()),
        origins_at_startup: args.origins_later.is_some(),
        credentials: args.credentials.is_some(),
        insecure_http: args.insecure_http.is_some(),
        csrf: args.csrf.is_some(),
        methods: args.methods.as_ref().map(|list| texts(Some(list))),
        headers: texts(args.headers.as_ref()),
        expose: texts(args.expose.as_ref()),
        max_age: args.max_age.as_ref().map(|max_age| max_age.seconds),
    };
    let problems = match config::validate(&config) {
        Ok(valid) => return Some(valid),
        Err(problems) => problems,
    };
    for Problem {
        site,
        other,
        message,
    } in problems
    {
        // a problem with a list that was left out or cut short is a consequence of the mistake
        // already reported at that list, such as `origins` being "empty" after `origins = [42]`
        let Some(at) = place(args, site) else {
            continue;
        };
        errors.push(at.error(&message));
        if let Some(at) = other.and_then(|other| place(args, other)) {
            errors.push(at.error(&message));
        }
    }
    None
}

/// The texts of a list's entries, in order.
fn texts(list: Option<&List>) -> Vec<&str> {
    list.map_or_else(Vec::new, |list| {
        list.entries
            .iter()
            .map(|entry| entry.text.as_str())
            .collect()
    })
}

/// The tokens a problem points at.
enum Place<'a> {
    Span(Span),
    Tokens(&'a TokenStream),
}

impl Place<'_> {
    fn error(&self, message: &str) -> Error {
        match self {
            Self::Span(span) => Error::new(*span, message),
            Self::Tokens(tokens) => Error::new_spanned(tokens, message),
        }
    }
}

/// Where `site` was written, or `None` when the argument is missing or was not parsed whole.
fn place(args: &Args, site: Site) -> Option<Place<'_>> {
    let whole = |list: Option<&List>| list.filter(|list| list.complete).map(|list| list.brackets);
    let entry = |list: Option<&List>, index: usize| Some(list?.entries.get(index)?.span);
    let span = match site {
        Site::Origins => whole(args.origins.as_ref()),
        Site::Methods => whole(args.methods.as_ref()),
        Site::Origin(index) => entry(args.origins.as_ref(), index),
        Site::Method(index) => entry(args.methods.as_ref(), index),
        Site::Header(index) => entry(args.headers.as_ref(), index),
        Site::Expose(index) => entry(args.expose.as_ref(), index),
        Site::Credentials => args.credentials,
        Site::InsecureHttp => args.insecure_http,
        Site::Csrf => args.csrf,
        Site::MaxAge => return Some(Place::Tokens(&args.max_age.as_ref()?.tokens)),
    };
    span.map(Place::Span)
}
