//! The `#[cors]` attribute of `cors-runtime`: a CORS policy on an axum handler, checked at compile
//! time. Use it through `cors_runtime::cors`; this crate is its implementation.
//!
//! The expansion is parse, validate, expand, each a module over a typed AST:
//!
//! - `ast` is that AST: the arguments as written, every token's span kept;
//! - `attr` parses the arguments into it and checks their shape;
//! - `handler` checks that the attribute sits on an `async fn`;
//! - `valid` checks the policy with the rules of `cors_rules`, shared with the runtime, and
//!   points every problem at its tokens;
//! - `expand` writes the handler back unchanged with the policy item beside it, and cannot fail;
//!   `data` writes the policy's constant data, as text;
//! - `named` does the same for `cors_policy!`;
//! - `fallback` is what is emitted after mistakes: the errors, and a stand-in policy.

mod ast;
mod attr;
mod data;
mod expand;
mod fallback;
mod handler;
mod named;
#[cfg(test)]
mod size;
mod valid;

use proc_macro::TokenStream;

/// Declares the [CORS](https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS) policy of
/// an axum handler, checked when the crate compiles.
///
/// ```
/// use axum::{Json, Router, routing::post};
/// use cors_runtime::cors;
///
/// #[cors(origins = ["https://app.example.com", "http://localhost:3000"], credentials,
///        methods = [GET, POST], headers = ["content-type", "x-api-key"],
///        expose = ["x-request-id"], max_age = 600)]
/// async fn create_item(Json(item): Json<String>) -> Json<String> {
///     Json(item)
/// }
///
/// let app: Router = Router::new().route("/items", post(create_item).layer(create_item::layer()));
/// ```
///
/// The handler is left as it is. Beside it, in the type namespace, the attribute declares a
/// policy item of the same name and visibility, with two functions:
///
/// - `create_item::layer()` returns the `CorsLayer` to put on the handler's route, as above;
/// - `create_item::policy()` returns the `&'static Policy` itself.
///
/// The handler is also registered for the audit listing, `cors_runtime::audit::entries()`.
///
/// Every mistake below is a compile error pointing at the offending token, with the fix: a
/// trailing `/` in an origin, `*` origins with `credentials`, a header that browsers never let scripts
/// send, a misspelt argument. All of them are reported at once.
///
/// # Arguments
///
/// - **`origins = [...]`** (required): the origins allowed to call the handler
///   ([`Access-Control-Allow-Origin`](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Origin)),
///   as string literals spelt the way browsers send them: lowercase scheme and host, a port only
///   when it is not the scheme's default, nothing after it (`"https://app.example.com"`,
///   `"http://localhost:3000"`), including the origins app webviews and browser extensions send
///   (`"capacitor://localhost"`, `"tauri://localhost"`,
///   `"chrome-extension://<32 letters a-p>"`, `"moz-extension://<uuid>"`), which take no
///   wildcard. A leftmost wildcard label matches one or more labels of
///   subdomains (`"https://*.example.com"` matches `https://a.example.com`, never
///   `https://example.com`), a wildcard port matches any port (`"http://localhost:*"`), and
///   `["*"]` alone allows every origin. `origins = env("NAME")` reads a comma-separated list from
///   the environment variable `NAME` instead, when `layer()` or `policy()` is first called (at
///   startup), checked by the same rules; a missing or wrong value panics there with the
///   variable, the entry and the fix (`cors_runtime::audit::environment_errors()` reports every
///   such problem at once, without panicking). `origins = TENANTS` names a `static` set of
///   origins (`static TENANTS: cors_runtime::Origins = Origins::new();`) that the app refills
///   while it runs with `TENANTS.replace([...])`, each entry checked by the same rules against
///   every policy that names the set; a path that is not an `Origins` `static` is a compile
///   error at the path.
/// - **`credentials`** (flag, off by default): lets requests carry cookies and HTTP authentication
///   and lets scripts read the responses
///   ([`Access-Control-Allow-Credentials`](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Credentials)).
///   Browsers refuse `*` origins and exposed headers together with it, so those are refused, as
///   are wildcards over a public suffix (`"https://*.github.io"`); `*` methods and request
///   headers are answered with what the preflight asked for, echoed.
/// - **`insecure_http`** (flag, off by default): allows plain `http://` origins other than
///   loopback ones (`localhost`, `127.0.0.1`, `[::1]`) together with `credentials`, which are
///   otherwise refused because anyone on the network can impersonate them.
/// - **`csrf`** (flag, off by default): refuses with `403`, before the handler runs, a write (any
///   method but `GET`, `HEAD`, `OPTIONS`) that a browser marks as sent by a page of another
///   origin (`Sec-Fetch-Site`, else `Origin` against `Host`), and a WebSocket handshake whose
///   `Origin` is another origin, unless the policy allows that origin
///   ([`cors_runtime::csrf`](https://docs.rs/cors-runtime/latest/cors_runtime/csrf/)). Not with
///   `["*"]`, which would trust every origin.
/// - **`methods = [...]`** (default `GET, HEAD, POST`): the methods preflights may ask for
///   ([`Access-Control-Allow-Methods`](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Methods)),
///   as identifiers or string literals: `[GET, POST]`, `["PROPFIND"]`, or `["*"]` for any method
///   (with credentials, the requested method is echoed). Names are case-sensitive. `HEAD` is
///   implied when `GET` is listed, because axum serves `HEAD` with the `GET` handler. `OPTIONS`
///   allows a script's own `OPTIONS` request: its preflight is granted and the request itself
///   reaches the handler.
/// - **`headers = [...]`** (default none): the request headers scripts may send beyond the
///   safelisted ones
///   ([`Access-Control-Allow-Headers`](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Headers)),
///   case-insensitive; `["*"]` allows any name but `authorization`, which `*` never covers and
///   may be listed beside it (with credentials, the requested names are echoed).
///   `"content-type"` is needed for JSON bodies.
/// - **`expose = [...]`** (default none): the response headers scripts may read beyond the
///   safelisted ones
///   ([`Access-Control-Expose-Headers`](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Expose-Headers)).
/// - **`policy = NAME`**: the policy declared once with [`cors_policy!`](macro@cors_policy), in
///   place of every other argument. Each handler still logs under its own name.
/// - **`max_age = N`** (default: header omitted, so browsers keep a preflight 5 seconds): how many
///   seconds browsers may reuse a preflight answer
///   ([`Access-Control-Max-Age`](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Max-Age)),
///   from 0 to 86400 (Chromium keeps at most 7200).
///
/// The attribute goes on a free `async fn` with any extractors, generics and visibility, in any
/// module or `macro_rules!`; not on a method with `self`.
#[proc_macro_attribute]
pub fn cors(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::cors(args.into(), item.into()).into()
}

/// Declares a CORS policy once, for several handlers: `cors_policy!(NAME, arguments)` takes the
/// arguments of [`#[cors]`](macro@cors), checked the same way with the same errors, and declares
/// a `static` that handlers name with `#[cors(policy = NAME)]`.
///
/// ```
/// use axum::{Router, routing::get};
/// use cors_runtime::{cors, cors_policy};
///
/// cors_policy!(pub FRONTEND, origins = ["https://app.example.com"], credentials,
///              methods = [GET, POST], headers = ["content-type"]);
///
/// #[cors(policy = FRONTEND)]
/// async fn profile() -> &'static str { "profile" }
///
/// #[cors(policy = FRONTEND)]
/// async fn settings() -> &'static str { "settings" }
///
/// let app: Router = Router::new()
///     .route("/profile", get(profile).layer(profile::layer()))
///     .route("/settings", get(settings).layer(settings::layer()));
/// ```
///
/// Each handler keeps its own name in the log events and in the audit listing, which also shows
/// the policy's name. A visibility and doc comments may precede the name.
#[proc_macro]
pub fn cors_policy(input: TokenStream) -> TokenStream {
    named::cors_policy(input.into()).into()
}
