//! `cors_policy!(NAME, arguments)`: a policy declared once, as a `static`, for several handlers.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Error, Ident, Token, Visibility};

use crate::ast::{Context, Later};
use crate::{attr, expand, fallback, valid};

/// Expands `cors_policy!(NAME, args)`: a `static` policy that handlers name with
/// `#[cors(policy = NAME)]`, checked exactly like the attribute's arguments.
pub(crate) fn cors_policy(input: TokenStream) -> TokenStream {
    let mut errors = Vec::new();
    let (head, args) = match split_name.parse2(input) {
        Ok(parts) => parts,
        Err(error) => return error.into_compile_error(),
    };
    let valid = attr::parse(args, Context::Named, &mut errors)
        .and_then(|args| {
            let variable = args.origins_later.clone();
            valid::check(&args, &mut errors).map(|valid| (valid, variable))
        })
        .filter(|_| errors.is_empty());
    let (valid, variable) = valid.unwrap_or_else(|| (fallback::nothing_allowed(), None));
    let Head { attrs, vis, ident } = head;
    let name = ident.unraw().to_string();
    let handler = expand::handler_value(&ident, &name, &name);
    let site = quote!(&__CORS_HANDLER);
    let (ty, init) = expand::policy_static(&valid, variable.as_ref(), &site);
    // a set checks its entries against this policy even if no handler names the policy
    let set_use = matches!(variable, Some(Later::Set(_))).then(|| {
        quote! {
            const _: () = {
                static __CORS_HANDLER: ::cors_runtime::__private::Handler = #handler;
                ::cors_runtime::__private::inventory::submit! {
                    ::cors_runtime::__private::NamedUse::new(&#ident, &__CORS_HANDLER)
                }
            };
        }
    });
    let handler = matches!(variable, Some(Later::Env(_)))
        .then(|| quote!(static __CORS_HANDLER: ::cors_runtime::__private::Handler = #handler;));
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
            #handler
            #init
        };
        #set_use
    };
    tokens.extend(fallback::compile_errors(errors));
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
