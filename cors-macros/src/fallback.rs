//! What is emitted after a mistake: every error at once, and a stand-in policy so that the code
//! using the handler shows no second error.

use cors_rules::config::{Headers, Methods, Origins, Valid};
use proc_macro2::TokenStream;
use syn::Error;

/// The errors, combined into one stream of `compile_error!`s.
pub(crate) fn compile_errors(errors: Vec<Error>) -> Option<TokenStream> {
    let error = errors.into_iter().reduce(|mut all, next| {
        all.combine(next);
        all
    });
    error.map(Error::into_compile_error)
}

/// The stand-in policy of a handler whose attribute has mistakes: it allows no origin.
pub(crate) fn nothing_allowed() -> Valid {
    Valid {
        origins: Some(Origins::List {
            exact: Vec::new(),
            patterns: Vec::new(),
        }),
        credentials: false,
        insecure_http: false,
        csrf: false,
        methods: Methods::List(Vec::new()),
        headers: Headers {
            any: false,
            names: Vec::new(),
        },
        allow_methods: String::new(),
        allow_headers: None,
        expose_headers: None,
        expose: Vec::new(),
        max_age: None,
    }
}
