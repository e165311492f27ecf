//! The item under `#[cors]`, which must be a free `async fn`: an axum handler.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Error, Ident, Item, Signature, Visibility, braced};

/// What the expansion needs to know of the handler; the handler itself is emitted unchanged.
pub(crate) struct Handler {
    /// The handler's visibility, which the policy item shares.
    pub vis: Visibility,
    /// The handler's name, which the policy item shares.
    pub ident: Ident,
}

/// Reads the handler's name and visibility, pushing onto `errors` what makes it no handler.
///
/// Returns `None` when no policy item can be emitted beside `item`: it is not a function, or it
/// is a method (an item beside it would sit in an `impl` block). A function that is merely not
/// `async` still gets its policy item, so that the router code using it shows no second error.
pub(crate) fn parse(item: &TokenStream, errors: &mut Vec<Error>) -> Option<Handler> {
    // the signature alone: the body is emitted as it came, and parsing it would be work spent on
    // every build
    if let Ok(Head { vis, sig }) = syn::parse2::<Head>(item.clone()) {
        return check(vis, sig, errors);
    }
    let item = match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Fn(function)) => function,
        Ok(other) => {
            let (what, at) = describe(&other);
            errors.push(Error::new_spanned(
                at,
                format!(
                    "`#[cors]` goes on an `async fn` handler, not on {what}; move it to the handler"
                ),
            ));
            return None;
        }
        Err(_) => {
            errors.push(Error::new(
                Span::call_site(),
                "`#[cors]` goes on an `async fn` handler",
            ));
            return None;
        }
    };
    check(item.vis, item.sig, errors)
}

/// A function's attributes, visibility and signature, followed by a body left unparsed.
struct Head {
    vis: Visibility,
    sig: Signature,
}

impl Parse for Head {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        let body;
        braced!(body in input);
        body.parse::<TokenStream>()?;
        Ok(Self { vis, sig })
    }
}

/// The handler of this signature, pushing onto `errors` what makes it no handler.
fn check(vis: Visibility, sig: Signature, errors: &mut Vec<Error>) -> Option<Handler> {
    if let Some(receiver) = sig.receiver() {
        errors.push(Error::new_spanned(
            receiver,
            "`#[cors]` goes on a free `async fn` handler, not on a method; axum handlers take no `self`, so move it out of the `impl` block",
        ));
        return None;
    }
    if sig.asyncness.is_none() {
        errors.push(Error::new_spanned(
            sig.fn_token,
            format!(
                "`#[cors]` goes on an `async fn` handler; write `async fn {}`",
                sig.ident
            ),
        ));
    }
    Some(Handler {
        vis,
        ident: sig.ident,
    })
}

/// What `item` is, for the message, and the tokens the message points at.
fn describe(item: &Item) -> (&'static str, TokenStream) {
    let (what, at): (_, &dyn ToTokens) = match item {
        Item::Struct(item) => ("a struct", &item.ident),
        Item::Enum(item) => ("an enum", &item.ident),
        Item::Union(item) => ("a union", &item.ident),
        Item::Trait(item) => ("a trait", &item.ident),
        Item::Type(item) => ("a type alias", &item.ident),
        Item::Const(item) => ("a constant", &item.ident),
        Item::Static(item) => ("a static", &item.ident),
        Item::Mod(item) => ("a module", &item.ident),
        Item::Impl(item) => ("an `impl` block", &item.impl_token),
        other => ("this item", other),
    };
    (what, at.to_token_stream())
}
