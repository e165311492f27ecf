//! Turns a valid policy and its handler into the handler plus a policy item beside it.
//!
//! The policy item is a braced `struct` named after the handler (it lives in the type namespace,
//! the handler in the value namespace) with `policy()` and `layer()`. The policy is a `static`
//! written out field by field: every header value is a constant and the origins and header names
//! sit in tables laid out here, so nothing is computed when a request comes in.

use cors_rules::config::{Headers, Methods, Origins, Valid};
use cors_rules::origin::{HostPattern, OriginPattern, PortPattern, Scheme};
use cors_rules::table::{Case, layout};
use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Error, Ident, Path, Token, Visibility};

use crate::attr::{self, Args, Context};
use crate::handler::Handler;
use crate::{handler, valid};

/// Where a handler's policy comes from.
enum Source {
    /// Its own arguments, checked; with the variable its origins are read from, if any.
    Own(Valid, Option<String>),
    /// A policy declared with `cors_policy!`.
    Named(Path),
}

/// Expands `#[cors(args)] item`.
///
/// Every mistake is reported at once. On any, the handler is still emitted unchanged, with a
/// stand-in policy that allows nothing, so the only errors the user sees are at the attribute
/// and none in the router code that calls `handler::layer()`.
pub(crate) fn cors(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Vec::new();
    let args = attr::parse(args, Context::Handler, &mut errors);
    let handler = handler::parse(&item, &mut errors);
    let source = args.and_then(|args| source(args, &mut errors));
    let mut tokens = item;
    if let Some(handler) = handler {
        let registered = errors.is_empty();
        let source = source
            .filter(|_| registered)
            .unwrap_or_else(|| Source::Own(nothing_allowed(), None));
        tokens.extend(policy_item(&handler, source, registered));
    }
    tokens.extend(compile_errors(errors));
    tokens
}

/// Expands `cors_policy!(NAME, args)`: a `static` policy that handlers name with
/// `#[cors(policy = NAME)]`, checked exactly like the attribute's arguments.
pub(crate) fn named(input: TokenStream) -> TokenStream {
    let mut errors = Vec::new();
    let (head, args) = match split_name.parse2(input) {
        Ok(parts) => parts,
        Err(error) => return error.into_compile_error(),
    };
    let valid = attr::parse(args, Context::Named, &mut errors)
        .and_then(|args| {
            let variable = args.origins_env.clone();
            valid::check(&args, &mut errors).map(|valid| (valid, variable))
        })
        .filter(|_| errors.is_empty());
    let (valid, variable) = valid.unwrap_or_else(|| (nothing_allowed(), None));
    let Head { attrs, vis, ident } = head;
    let name = ident.unraw().to_string();
    let line = quote_spanned!(ident.span()=> ::core::line!());
    let site = quote! {
        &::cors_runtime::__private::Handler {
            name: #name,
            file: ::core::file!(),
            line: #line,
            policy_name: ::core::option::Option::Some(#name),
        }
    };
    let (items, ty, init) = policy_value(&valid, variable.as_deref(), &site);
    let doc = attrs
        .iter()
        .all(|attr| !attr.path().is_ident("doc"))
        .then(|| {
            let doc = format!("The CORS policy `{name}`, declared with `cors_policy!`.");
            quote!(#[doc = #doc])
        });
    let mut tokens = quote! {
        #(#attrs)*
        #doc
        #vis static #ident: #ty = {
            #items
            #init
        };
    };
    tokens.extend(compile_errors(errors));
    tokens
}

/// `cors_policy!`'s name and what goes with it: `#[doc = "..."] pub FRONTEND`.
struct Head {
    attrs: Vec<Attribute>,
    vis: Visibility,
    ident: Ident,
}

/// Splits `cors_policy!` input into its head and the arguments after the first comma.
fn split_name(input: ParseStream<'_>) -> syn::Result<(Head, TokenStream)> {
    let attrs = input.call(Attribute::parse_outer)?;
    let vis: Visibility = input.parse()?;
    let no_name = |span| {
        Error::new(
            span,
            "`cors_policy!` starts with the policy's name; write `cors_policy!(FRONTEND, origins = [...])`",
        )
    };
    let ident: Ident = input.parse().map_err(|error| no_name(error.span()))?;
    if !input.peek(Token![,]) {
        return Err(no_name(ident.span()));
    }
    input.parse::<Token![,]>()?;
    let args: TokenStream = input.parse()?;
    Ok((Head { attrs, vis, ident }, args))
}

/// Where the policy of a handler with these arguments comes from, if they are sound.
fn source(args: Args, errors: &mut Vec<Error>) -> Option<Source> {
    if let Some(path) = args.policy {
        return Some(Source::Named(path));
    }
    let variable = args.origins_env.clone();
    valid::check(&args, errors).map(|valid| Source::Own(valid, variable))
}

fn compile_errors(errors: Vec<Error>) -> Option<TokenStream> {
    let error = errors.into_iter().reduce(|mut all, next| {
        all.combine(next);
        all
    });
    error.map(Error::into_compile_error)
}

/// The stand-in policy of a handler whose attribute has mistakes: it allows no origin.
fn nothing_allowed() -> Valid {
    Valid {
        origins: Some(Origins::List {
            exact: Vec::new(),
            patterns: Vec::new(),
        }),
        credentials: false,
        insecure_http: false,
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

/// The `struct` named after the handler, with `policy()` and `layer()`, and the handler's
/// registration for the audit listing (`registered`, unless the attribute has mistakes).
fn policy_item(handler: &Handler, source: Source, registered: bool) -> TokenStream {
    let Handler { vis, ident } = handler;
    let name = ident.unraw().to_string();
    let doc = format!("The CORS policy of the `{name}` handler, declared with `#[cors]`.");
    // spanned on the handler's name, so that `line!()` gives the handler's line, not the attribute's
    let line = quote_spanned!(ident.span()=> ::core::line!());
    let (policy_name, policy) = match source {
        Source::Own(valid, variable) => {
            let site = quote!(#ident::__CORS_HANDLER);
            let (items, ty, init) = policy_value(&valid, variable.as_deref(), &site);
            let policy = quote! {
                #items
                static __CORS_POLICY: #ty = #init;
                ::cors_runtime::__private::Source::get(&__CORS_POLICY)
            };
            (quote!(::core::option::Option::None), policy)
        }
        Source::Named(path) => {
            let path_name = path.to_token_stream().to_string().replace(' ', "");
            (
                quote!(::core::option::Option::Some(#path_name)),
                quote!(::cors_runtime::__private::Source::get(&#path)),
            )
        }
    };
    let registration = registered.then(|| {
        quote! {
            ::cors_runtime::__private::inventory::submit! {
                ::cors_runtime::__private::Registration {
                    handler: #ident::__CORS_HANDLER,
                    policy: #ident::__cors_policy,
                }
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[doc(hidden)]
        // the policy is named after its handler, so it has the handler's snake_case name
        #[allow(nonstandard_style)]
        #vis struct #ident {}

        impl #ident {
            const __CORS_HANDLER: &'static ::cors_runtime::__private::Handler = &::cors_runtime::__private::Handler {
                name: #name,
                file: ::core::file!(),
                line: #line,
                policy_name: #policy_name,
            };

            /// The CORS policy declared on this handler.
            ///
            /// # Panics
            /// When its origins are read from an environment variable that is missing or wrong.
            #[must_use]
            #vis fn policy() -> &'static ::cors_runtime::__private::Policy {
                Self::__cors_policy().unwrap_or_else(|error| ::core::panic!("{error}"))
            }

            fn __cors_policy() -> ::core::result::Result<
                &'static ::cors_runtime::__private::Policy,
                &'static ::cors_runtime::__private::EnvError,
            > {
                #policy
            }

            /// A layer applying this handler's CORS policy: `.layer(handler::layer())`.
            #[must_use]
            #vis fn layer() -> ::cors_runtime::__private::CorsLayer {
                ::cors_runtime::__private::CorsLayer::new(Self::policy(), Self::__CORS_HANDLER)
            }
        }

        #registration
    }
}

/// The items a policy needs, its type and its initializer.
///
/// A policy whose origins are all known is a constant; one whose origins are read from
/// `variable` is built on first use, at startup, from the variable and the constant rest, or is
/// the error that names the variable, the entry and the fix; `site` (a `&'static Handler`
/// expression) is whom the error is about. Either implements `__private::Source`.
fn policy_value(
    valid: &Valid,
    variable: Option<&str>,
    site: &TokenStream,
) -> (TokenStream, TokenStream, TokenStream) {
    let credentials = valid.credentials;
    let methods = match &valid.methods {
        Methods::Any => quote!(::cors_runtime::__private::Methods::Any),
        Methods::List(methods) => {
            quote!(::cors_runtime::__private::Methods::List(&[#(#methods),*]))
        }
    };
    let allow_methods = header_value(&valid.allow_methods);
    let headers = {
        let any = valid.headers.any;
        let names = &valid.headers.names;
        let names = table(names, Case::Insensitive, &quote!(&[#(#names),*]));
        quote!(::cors_runtime::__private::Headers { any: #any, names: #names })
    };
    let allow_headers = optional_header_value(valid.allow_headers.as_deref());
    let expose_headers = optional_header_value(valid.expose_headers.as_deref());
    let max_age =
        optional_header_value(valid.max_age.map(|seconds| seconds.to_string()).as_deref());
    let rest = quote! {
        credentials: #credentials,
        methods: #methods,
        allow_methods: #allow_methods,
        headers: #headers,
        allow_headers: #allow_headers,
        expose_headers: #expose_headers,
        max_age: #max_age,
    };
    let policy = quote!(::cors_runtime::__private::Policy);
    match variable {
        None => {
            let checked = valid.origins.clone().unwrap_or(Origins::List {
                exact: Vec::new(),
                patterns: Vec::new(),
            });
            let (items, origins) = origins(&checked);
            let init = quote!(#policy { origins: #origins, #rest });
            (items, policy, init)
        }
        Some(variable) => {
            let insecure_http = valid.insecure_http;
            let init = quote! {
                ::std::sync::LazyLock::new(|| {
                    let origins = ::cors_runtime::__private::origins_from_env(
                        #variable, #credentials, #insecure_http, #site,
                    )?;
                    ::core::result::Result::Ok(#policy {
                        origins,
                        #rest
                    })
                })
            };
            let ty = quote! {
                ::std::sync::LazyLock<
                    ::core::result::Result<#policy, ::cors_runtime::__private::EnvError>,
                >
            };
            (TokenStream::new(), ty, init)
        }
    }
}

/// The `static` holding the exact origins, if any, and the `Origins` value.
///
/// The origins are `HeaderValue`s, which have interior mutability, so they cannot be borrowed
/// from a constant expression inside the policy `static` (E0492): they get a `static` of their own.
fn origins(origins: &Origins) -> (TokenStream, TokenStream) {
    let Origins::List { exact, patterns } = origins else {
        return (
            TokenStream::new(),
            quote!(::cors_runtime::__private::Origins::Any),
        );
    };
    let count = exact.len();
    let values = exact.iter().map(|origin| header_value(origin));
    let exact = table(exact, Case::Sensitive, &quote!(&__CORS_ORIGINS));
    let patterns = patterns.iter().map(pattern);
    (
        quote! {
            static __CORS_ORIGINS: [::cors_runtime::__private::HeaderValue; #count] = [#(#values),*];
        },
        quote! {
            ::cors_runtime::__private::Origins::List {
                exact: #exact,
                patterns: &[#(#patterns),*],
            }
        },
    )
}

/// A `Table` of `keys`, laid out here, whose entries are the expression `entries`.
fn table(keys: &[String], case: Case, entries: &TokenStream) -> TokenStream {
    let slots = layout(keys, case).into_iter().map(Literal::u16_unsuffixed);
    let case = match case {
        Case::Sensitive => quote!(Sensitive),
        Case::Insensitive => quote!(Insensitive),
    };
    quote! {
        ::cors_runtime::__private::Table {
            entries: #entries,
            slots: &[#(#slots),*],
            case: ::cors_runtime::__private::Case::#case,
        }
    }
}

/// One origin pattern.
fn pattern(pattern: &OriginPattern) -> TokenStream {
    let scheme = match pattern.scheme {
        Scheme::Http => quote!(Http),
        Scheme::Https => quote!(Https),
    };
    let host = match &pattern.host {
        HostPattern::Exact(host) => quote!(Exact(#host)),
        HostPattern::Subdomains(domain) => {
            // the runtime strips the suffix with its dot, so `a.example.com` leaves `a`
            let suffix = format!(".{domain}");
            quote!(Subdomains(#suffix))
        }
    };
    let port = match pattern.port {
        PortPattern::Default => quote!(Default),
        PortPattern::Exact(port) => {
            let digits = port.to_string();
            quote!(Exact(#digits))
        }
        PortPattern::Any => quote!(Any),
    };
    quote! {
        ::cors_runtime::__private::Pattern {
            scheme: ::cors_runtime::__private::Scheme::#scheme,
            host: ::cors_runtime::__private::Host::#host,
            port: ::cors_runtime::__private::Port::#port,
        }
    }
}

/// A constant header value. `cors_rules` checked that `value` is visible ASCII.
fn header_value(value: &str) -> TokenStream {
    quote!(::cors_runtime::__private::HeaderValue::from_static(#value))
}

/// `Some` constant header value, or `None`.
fn optional_header_value(value: Option<&str>) -> TokenStream {
    let Some(value) = value else {
        return quote!(::core::option::Option::None);
    };
    let value = header_value(value);
    quote!(::core::option::Option::Some(#value))
}
