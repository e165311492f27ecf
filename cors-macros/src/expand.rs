//! Turns a valid policy and its handler into the handler plus a policy item beside it: emission
//! only, nothing here can fail.
//!
//! The policy item is a braced `struct` named after the handler (it lives in the type namespace,
//! the handler in the value namespace) with `policy()` and `layer()`. Everything else sits in a
//! `const _` block, so nothing leaks into the user's namespace, and names items of
//! `cors_runtime::__private`: one `static` `Declaration` holds the handler's name and place and
//! its policy, built by `Policy::new`, whose checks run at compile time, from header values
//! rendered and tables laid out by `data`. Unless the policy names a set or a named policy of
//! the user's, the item sits in a hidden module of its own, imported beside the handler, so that
//! an edit to a handler does not recompile it.

use cors_rules::config::{Origins, Valid};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::Ident;
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use crate::ast::{Context, Later, path_text};
use crate::attr::{self};
use crate::handler::{self, Handler};
use crate::valid::{self, Source};
use crate::{data, fallback};

/// Expands `#[cors(args)] item`.
///
/// Every mistake is reported at once. On any, the handler is still emitted unchanged, with a
/// stand-in policy that allows nothing, so the only errors the user sees are at the attribute
/// and none in the router code that calls `handler::layer()`.
pub(crate) fn cors(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Vec::new();
    let args = attr::parse(args, Context::Handler, &mut errors);
    let handler = handler::parse(&item, &mut errors);
    let source = args.and_then(|args| valid::source(args, &mut errors));
    let mut tokens = item;
    if let Some(handler) = handler {
        let registered = errors.is_empty();
        let source = source
            .filter(|_| registered)
            .unwrap_or_else(|| Source::Own(fallback::nothing_allowed(), None));
        tokens.extend(policy_item(&handler, source, registered));
    }
    tokens.extend(fallback::compile_errors(errors));
    tokens
}

/// The `struct` named after the handler, with `policy()` and `layer()`, and the handler's
/// registration for the audit listing (`registered`, unless the attribute has mistakes); in a
/// hidden module of its own, imported beside the handler, unless it names something of the user's.
fn policy_item(handler: &Handler, source: Source, registered: bool) -> TokenStream {
    let Handler { vis, ident } = handler;
    let name = ident.unraw().to_string();
    if !names_nothing_of_the_user(&source) {
        return item(ident, &name, &vis.to_token_stream(), source, registered);
    }
    // in a module of its own, the item is `pub` there and the `use` has the handler's visibility
    let item = item(ident, &name, &quote!(pub), source, registered);
    let module = quote::format_ident!("__cors_{}", name);
    quote! {
        // a module of its own puts the item in a codegen unit apart from the handlers: editing a
        // handler then recompiles the handler's module without the policies declared beside it
        #[doc(hidden)]
        #[allow(nonstandard_style)]
        mod #module {
            #item
        }
        #[allow(unused_imports)]
        #vis use #module::#ident;
    }
}

/// The policy item itself, with `vis` on the `struct` and its functions.
fn item(
    ident: &Ident,
    name: &str,
    vis: &TokenStream,
    source: Source,
    registered: bool,
) -> TokenStream {
    let handler = handler_value(ident, name, &policy_name(&source));
    let (ty, policy) = policy_parts(source);
    let (head, body) = declared(ident, name, vis, registered);
    let (head, body) = (data::tokens(&head), data::tokens(&body));
    quote! {
        #head
        const _: () = {
            static __CORS: ::cors_runtime::__private::Declaration<#ty> =
                ::cors_runtime::__private::Declaration::new(#handler, #policy);
            #body
        };
    }
}

/// What is written about the declaration, as text: the `struct` named after the handler, and
/// its `policy()`, `layer()` and registration for the audit listing (when `registered`), which
/// read the declaration `__CORS` beside them.
fn declared(ident: &Ident, name: &str, vis: &TokenStream, registered: bool) -> (String, String) {
    // the struct is named after its handler, so it has the handler's snake_case name
    let head = format!(
        "#[doc = \"The CORS policy of the `{name}` handler, declared with `#[cors]`.\"]
        #[doc(hidden)]
        #[allow(nonstandard_style)]
        {vis} struct {ident} {{}}"
    );
    let registration = if registered {
        "::cors_runtime::__private::inventory::submit! { __CORS.registration() }"
    } else {
        ""
    };
    let body = format!(
        "impl {ident} {{
            /// The CORS policy declared on this handler; panics if it reads its origins from
            /// an environment variable that is missing or wrong.
            #[must_use]
            {vis} fn policy() -> &'static ::cors_runtime::Policy {{
                __CORS.policy()
            }}

            /// A layer applying this handler's CORS policy: `.layer(handler::layer())`.
            #[must_use]
            {vis} fn layer() -> ::cors_runtime::CorsLayer {{
                __CORS.layer()
            }}
        }}
        {registration}"
    );
    (head, body)
}

/// The type of the policy the declaration keeps, and its value: its own policy, or a borrow of
/// the named policy it uses.
fn policy_parts(source: Source) -> (TokenStream, TokenStream) {
    match source {
        Source::Own(valid, variable) => {
            policy_static(&valid, variable.as_ref(), &quote!(__CORS.handler()))
        }
        Source::Named(path) => (
            quote!(&'static (dyn ::cors_runtime::__private::Source + Sync)),
            quote!(&#path),
        ),
    }
}

/// The name of the named policy the item uses, `""` for its own.
fn policy_name(source: &Source) -> String {
    match source {
        Source::Own(..) => String::new(),
        Source::Named(path) => path_text(path),
    }
}

/// Whether the policy item names nothing of the user's crate (origins listed or read from the
/// environment), so that it can sit in a module of its own: a set or a named policy is a path
/// from where the handler is, which a module inside a function body could not reach.
fn names_nothing_of_the_user(source: &Source) -> bool {
    matches!(source, Source::Own(_, None | Some(Later::Env(_))))
}

/// The `Handler` of `ident`: its name, place and the named policy it uses (`""` for its own).
pub(crate) fn handler_value(ident: &Ident, name: &str, policy_name: &str) -> TokenStream {
    // spanned on the name, so that `line!()` gives the handler's line, not the attribute's
    let line = quote_spanned!(ident.span()=> ::core::line!());
    quote! {
        ::cors_runtime::__private::Handler::new(#name, ::core::file!(), #line, #policy_name)
    }
}

/// The type and initializer of a policy `static`.
///
/// A policy whose origins are all known is built by `Policy::new` right there, at compile time;
/// so is one whose origins are a set refilled at run time, which it borrows. One whose origins are
/// read from a variable is built on first use, at startup, from the variable and the constant
/// rules, or is the error that names the variable, the entry and the fix; `handler` (a
/// `&'static Handler` expression) is whom the error is about. Either implements
/// `__private::Source`.
pub(crate) fn policy_static(
    valid: &Valid,
    later: Option<&Later>,
    handler: &TokenStream,
) -> (TokenStream, TokenStream) {
    let rules = data::rules(valid);
    let insecure_http = valid.insecure_http;
    let policy = quote!(::cors_runtime::__private::Policy);
    let variable = match later {
        Some(Later::Env(variable)) => variable,
        Some(Later::Set(path)) => {
            let name = path_text(path);
            // spanned on the path, so that a path that is not an `Origins` static is the error
            let set =
                quote_spanned!(path.span()=> ::cors_runtime::__private::set_of_origins(&#path));
            let rules = data::tokens(&rules);
            let origins =
                quote!(::cors_runtime::__private::AllowedOrigins::set(#set, #name, #insecure_http));
            let init = quote!(::cors_runtime::__private::Policy::new(#origins, #rules));
            return (policy, init);
        }
        None => {
            // a valid policy without a variable lists its origins; the stand-in lists none
            let none = Origins::List {
                exact: Vec::new(),
                patterns: Vec::new(),
            };
            let origins = valid.origins.as_ref().unwrap_or(&none);
            return (policy, data::tokens(&data::listed_policy(origins, &rules)));
        }
    };
    let rules = data::tokens(&rules);
    let init = quote! {
        ::cors_runtime::__private::FromEnv::new(|| {
            ::cors_runtime::__private::policy_from_env(
                #variable, #insecure_http, const { #rules }, #handler,
            )
        })
    };
    (quote!(::cors_runtime::__private::FromEnv), init)
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;

    use crate::size::count;

    /// The tokens `#[cors(args)]` adds to a handler.
    fn added(args: &str) -> usize {
        let item: TokenStream = "async fn create_item() -> &'static str { \"ok\" }"
            .parse()
            .unwrap();
        let expanded = super::cors(args.parse().unwrap(), item.clone());
        count(expanded) - count(item)
    }

    #[test]
    fn an_expansion_names_runtime_items_rather_than_spelling_them_out() {
        let full = added(
            r#"origins = ["https://app.example.com", "http://localhost:3000"], credentials,
               methods = [GET, POST], headers = ["content-type", "x-api-key"],
               expose = ["x-request-id"], max_age = 600"#,
        );
        let pattern = added(r#"origins = ["https://*.example.com"]"#);
        let named = added("policy = FRONTEND");
        println!("tokens added: {full} (every argument), {pattern} (a pattern), {named} (named)");
        // 628, 594 and 295 when every expansion spelled out the policy's fields and tables
        assert!(
            full < 400 && pattern < 400 && named < 250,
            "{full} {pattern} {named}"
        );
    }
}
