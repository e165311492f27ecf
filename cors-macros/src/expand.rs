//! Turns a valid policy and its handler into the handler plus a policy item beside it: emission
//! only, nothing here can fail.
//!
//! The policy item is a braced `struct` named after the handler (it lives in the type namespace,
//! the handler in the value namespace) with `policy()` and `layer()`. Everything else sits in a
//! `const _` block, so nothing leaks into the user's namespace, and names items of
//! `cors_runtime::__private`: the policy is a `static` built by `Policy::new`, whose checks run
//! at compile time, from header values rendered and tables laid out here. Unless the policy names
//! a set or a named policy of the user's, the item sits in a hidden module of its own, imported
//! beside the handler, so that an edit to a handler does not recompile it.

use cors_rules::config::{Origins, Valid};
use cors_rules::origin::{HostPattern, OriginPattern, PortPattern, Scheme};
use cors_rules::table::{Case, layout};
use proc_macro2::{Literal, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::Ident;
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use crate::ast::{Context, Later};
use crate::attr::{self};
use crate::fallback;
use crate::handler::{self, Handler};
use crate::valid::{self, Source};

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
    let doc = format!("The CORS policy of the `{name}` handler, declared with `#[cors]`.");
    let (policy_name, policy, own) = policy_parts(source);
    let handler = handler_value(ident, name, &policy_name);
    let registration = registered.then(|| {
        quote! {
            ::cors_runtime::__private::inventory::submit! {
                ::cors_runtime::__private::Registration(&__CORS)
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[doc(hidden)]
        // the policy is named after its handler, so it has the handler's snake_case name
        #[allow(nonstandard_style)]
        #vis struct #ident {}

        const _: () = {
            static __CORS_HANDLER: ::cors_runtime::__private::Handler = #handler;
            #own
            static __CORS: ::cors_runtime::__private::Declaration =
                ::cors_runtime::__private::Declaration::new(&__CORS_HANDLER, &#policy);

            impl #ident {
                /// The CORS policy declared on this handler; panics if it reads its origins from
                /// an environment variable that is missing or wrong.
                #[must_use]
                #vis fn policy() -> &'static ::cors_runtime::Policy {
                    __CORS.policy()
                }

                /// A layer applying this handler's CORS policy: `.layer(handler::layer())`.
                #[must_use]
                #vis fn layer() -> ::cors_runtime::CorsLayer {
                    ::cors_runtime::CorsLayer::new(Self::policy(), &__CORS_HANDLER)
                }
            }

            #registration
        };
    }
}

/// The name of the named policy the item uses (`""` for its own), the expression of its policy,
/// and its own policy `static`, if any.
fn policy_parts(source: Source) -> (String, TokenStream, TokenStream) {
    match source {
        Source::Own(valid, variable) => {
            let handler = quote!(&__CORS_HANDLER);
            let (ty, init) = policy_static(&valid, variable.as_ref(), &handler);
            let own = quote!(static __CORS_POLICY: #ty = #init;);
            (String::new(), quote!(__CORS_POLICY), own)
        }
        Source::Named(path) => {
            let path_name = path.to_token_stream().to_string().replace(' ', "");
            (path_name, path.into_token_stream(), TokenStream::new())
        }
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
    let rules = rules(valid);
    let insecure_http = valid.insecure_http;
    let variable = match later {
        Some(Later::Env(variable)) => variable,
        Some(Later::Set(path)) => {
            let name = path.to_token_stream().to_string().replace(' ', "");
            // spanned on the path, so that a path that is not an `Origins` static is the error
            let set =
                quote_spanned!(path.span()=> ::cors_runtime::__private::set_of_origins(&#path));
            let origins =
                quote!(::cors_runtime::__private::AllowedOrigins::set(#set, #name, #insecure_http));
            let init = quote!(::cors_runtime::__private::Policy::new(#origins, #rules));
            return (quote!(::cors_runtime::__private::Policy), init);
        }
        None => {
            // a valid policy without a variable lists its origins; the stand-in lists none
            let none = Origins::List {
                exact: Vec::new(),
                patterns: Vec::new(),
            };
            let (items, origins) = origins(valid.origins.as_ref().unwrap_or(&none));
            let init = quote!({
                #items
                ::cors_runtime::__private::Policy::new(#origins, #rules)
            });
            return (quote!(::cors_runtime::__private::Policy), init);
        }
    };
    let init = quote! {
        ::cors_runtime::__private::FromEnv::new(|| {
            ::cors_runtime::__private::policy_from_env(
                #variable, #insecure_http, const { #rules }, #handler,
            )
        })
    };
    (quote!(::cors_runtime::__private::FromEnv), init)
}

/// `Rules::new(...)`: everything but the origins, rendered by `cors_rules`.
fn rules(valid: &Valid) -> TokenStream {
    let credentials = valid.credentials;
    let methods = match &valid.methods {
        cors_rules::config::Methods::Any => vec!["*".to_owned()],
        cors_rules::config::Methods::List(methods) => methods.clone(),
    };
    let allow_methods = &valid.allow_methods;
    let names = &valid.headers.names;
    let slots = slots(names, Case::Insensitive);
    let star = valid.headers.any.then_some("*");
    let headers = star.into_iter().chain(names.iter().map(String::as_str));
    let allow_headers = valid.allow_headers.as_deref().unwrap_or_default();
    let expose = &valid.expose;
    let expose_headers = valid.expose_headers.as_deref().unwrap_or_default();
    let max_age = valid
        .max_age
        .map(|seconds| seconds.to_string())
        .unwrap_or_default();
    let csrf = valid.csrf.then(|| quote!(.with_csrf()));
    quote! {
        ::cors_runtime::__private::Rules::new(
            #credentials, &[#(#methods),*], #allow_methods, &[#(#headers),*], #slots,
            #allow_headers, &[#(#expose),*], #expose_headers, #max_age,
        )#csrf
    }
}

/// The items the origins need, and the `AllowedOrigins` expression: `ANY`, or the exact origins
/// and the patterns, each in a `static` of their own, which the policy borrows (as a constant,
/// origins have interior mutability, E0492, and patterns a destructor, E0493).
fn origins(origins: &Origins) -> (TokenStream, TokenStream) {
    let Origins::List { exact, patterns } = origins else {
        let any = quote!(::cors_runtime::__private::AllowedOrigins::ANY);
        return (TokenStream::new(), any);
    };
    let mut items = TokenStream::new();
    let listed = |name: &str, ty: TokenStream, values: Vec<TokenStream>| {
        if values.is_empty() {
            return (TokenStream::new(), quote!(&[]));
        }
        let (name, count) = (Ident::new(name, Span::call_site()), values.len());
        let item = quote!(static #name: [::cors_runtime::__private::#ty; #count] = [#(#values),*];);
        (item, quote!(&#name))
    };
    let exact_values = exact
        .iter()
        .map(|origin| quote!(::cors_runtime::__private::HeaderValue::from_static(#origin)))
        .collect();
    let (item, exact_ref) = listed("__CORS_EXACT", quote!(HeaderValue), exact_values);
    items.extend(item);
    let (item, patterns) = listed(
        "__CORS_PATTERNS",
        quote!(OriginPattern),
        patterns.iter().map(pattern).collect(),
    );
    items.extend(item);
    let slots = slots(exact, Case::Sensitive);
    let origins = quote! {
        ::cors_runtime::__private::AllowedOrigins::listed(#exact_ref, #slots, #patterns)
    };
    (items, origins)
}

/// The slots of a table of `keys`, laid out here.
fn slots(keys: &[String], case: Case) -> TokenStream {
    let slots = layout(keys, case).into_iter().map(Literal::u16_unsuffixed);
    quote!(&[#(#slots),*])
}

/// One origin pattern.
fn pattern(pattern: &OriginPattern) -> TokenStream {
    // only `http` and `https` have patterns; the other arms keep the match exhaustive
    let scheme = match pattern.scheme {
        Scheme::Http => quote!(Http),
        Scheme::Https => quote!(Https),
        Scheme::Capacitor => quote!(Capacitor),
        Scheme::Ionic => quote!(Ionic),
        Scheme::App => quote!(App),
        Scheme::Tauri => quote!(Tauri),
        Scheme::ChromeExtension => quote!(ChromeExtension),
        Scheme::MozExtension => quote!(MozExtension),
        Scheme::SafariWebExtension => quote!(SafariWebExtension),
        Scheme::VscodeWebview => quote!(VscodeWebview),
    };
    let host = match &pattern.host {
        HostPattern::Exact(host) => quote!(exact(#host)),
        HostPattern::Subdomains(domain) => quote!(subdomains(#domain)),
    };
    let port = match pattern.port {
        PortPattern::Default => quote!(Default),
        PortPattern::Exact(port) => quote!(Exact(#port)),
        PortPattern::Any => quote!(Any),
    };
    quote! {
        ::cors_runtime::__private::OriginPattern {
            scheme: ::cors_runtime::__private::Scheme::#scheme,
            host: ::cors_runtime::__private::HostPattern::#host,
            port: ::cors_runtime::__private::PortPattern::#port,
        }
    }
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
