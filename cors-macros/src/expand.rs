//! Turns a valid policy and its handler into the handler plus a policy item beside it.
//!
//! The policy item is a braced `struct` named after the handler (it lives in the type namespace,
//! the handler in the value namespace) with `policy()` and `layer()`. The policy is a `static`
//! written out field by field: every header value is a constant and the origins and header names
//! sit in tables laid out here, so nothing is computed when a request comes in.

use cors_rules::origin::{HostPattern, OriginPattern, PortPattern, Scheme};
use cors_rules::policy::{Headers, Methods, Origins, Valid};
use cors_rules::table::{Case, layout};
use proc_macro2::{Literal, TokenStream};
use quote::{quote, quote_spanned};
use syn::Error;
use syn::ext::IdentExt;

use crate::handler::Handler;
use crate::{attr, handler, valid};

/// Expands `#[cors(args)] item`.
///
/// Every mistake is reported at once. On any, the handler is still emitted unchanged, with a
/// stand-in policy that allows nothing, so the only errors the user sees are at the attribute
/// and none in the router code that calls `handler::layer()`.
pub(crate) fn cors(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Vec::new();
    let args = attr::parse(args, &mut errors);
    let handler = handler::parse(&item, &mut errors);
    let valid = args.and_then(|args| valid::check(&args, &mut errors));
    let mut tokens = item;
    if let Some(handler) = handler {
        let valid = valid
            .filter(|_| errors.is_empty())
            .unwrap_or_else(nothing_allowed);
        tokens.extend(policy_item(&handler, &valid));
    }
    let error = errors.into_iter().reduce(|mut all, next| {
        all.combine(next);
        all
    });
    tokens.extend(error.map(Error::into_compile_error));
    tokens
}

/// The stand-in policy of a handler whose attribute has mistakes: it allows no origin.
fn nothing_allowed() -> Valid {
    Valid {
        origins: Origins::List {
            exact: Vec::new(),
            patterns: Vec::new(),
        },
        credentials: false,
        methods: Methods::List(Vec::new()),
        headers: Headers {
            any: false,
            names: Vec::new(),
        },
        allow_methods: String::new(),
        allow_headers: None,
        expose_headers: None,
        max_age: None,
        vary_origin: true,
    }
}

/// The `struct` named after the handler, with `policy()` and `layer()`.
fn policy_item(handler: &Handler, valid: &Valid) -> TokenStream {
    let Handler { vis, ident } = handler;
    let name = ident.unraw().to_string();
    let doc = format!("The CORS policy of the `{name}` handler, declared with `#[cors]`.");
    let (origins_static, origins) = origins(&valid.origins);
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
    let vary_origin = valid.vary_origin;
    // spanned on the handler's name, so that `line!()` gives the handler's line, not the attribute's
    let line = quote_spanned!(ident.span()=> ::core::line!());
    quote! {
        #[doc = #doc]
        #[doc(hidden)]
        // the policy is named after its handler, so it has the handler's snake_case name
        #[allow(nonstandard_style)]
        #vis struct #ident {}

        impl #ident {
            /// The CORS policy declared on this handler.
            #[must_use]
            #vis fn policy() -> &'static ::cors_runtime::__private::Policy {
                #origins_static
                static __CORS_POLICY: ::cors_runtime::__private::Policy = ::cors_runtime::__private::Policy {
                    origins: #origins,
                    credentials: #credentials,
                    methods: #methods,
                    allow_methods: #allow_methods,
                    headers: #headers,
                    allow_headers: #allow_headers,
                    expose_headers: #expose_headers,
                    max_age: #max_age,
                    vary_origin: #vary_origin,
                    handler: #name,
                    file: ::core::file!(),
                    line: #line,
                };
                &__CORS_POLICY
            }

            /// A layer applying this handler's CORS policy: `.layer(handler::layer())`.
            #[must_use]
            #vis fn layer() -> ::cors_runtime::__private::CorsLayer {
                ::cors_runtime::__private::CorsLayer::new(Self::policy())
            }
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
