//! The CORS headers of a response: a preflight answered here, or the handler's response finished
//! on its way out.

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, VARY,
};
use http::{HeaderMap, HeaderValue, Request, Response, StatusCode};

use crate::{Handler, Policy, log, vary};

/// `Access-Control-Allow-Credentials` is exactly `true` or absent (fetch `#http-access-control-allow-credentials`).
#[allow(
    clippy::declare_interior_mutable_const,
    reason = "a constant, not a static: each use is made on the spot, where cloning a static calls through the bytes' vtable"
)]
const TRUE: HeaderValue = HeaderValue::from_static("true");

/// What to do to the handler's response once it comes back.
#[derive(Debug)]
pub(crate) enum Finish {
    /// Grant the actual request: send this `Access-Control-Allow-Origin` and the policy's other
    /// headers, replacing any an inner layer sent.
    Grant(HeaderValue),
    /// Refuse the actual request: remove any grant an inner layer sent.
    Refuse,
    /// Nothing of this policy's applies; only `Vary` is kept right.
    VaryOnly,
    /// A preflight for a method this policy does not list, passed on: if no layer further in
    /// answered it, refuse it. Boxed: the case is rare (a route with several policies), and
    /// unboxed it would double the size of every response future, which is moved several times
    /// on every request.
    PreflightElsewhere(Box<Elsewhere>),
}

/// What a layer that passed a preflight on needs should no layer further in answer it.
#[derive(Debug)]
pub(crate) struct Elsewhere {
    /// The requested method, when refusals are logged.
    pub(crate) method: Option<HeaderValue>,
    /// This policy's `Access-Control-Allow-Origin` for the preflight's origin, if it grants one.
    pub(crate) origin: Option<HeaderValue>,
    /// Whether a layer further out is waiting for the answer too.
    pub(crate) forwarded: bool,
}

/// Put on a preflight passed on to the inner service by a layer that does not list its method,
/// so that a layer further in says when it answers.
#[derive(Clone, Copy, Debug)]
struct Forwarded;

/// Put on the answer to a preflight made by a layer that a layer further out is waiting on: the
/// answer, granted or refused, is settled. A response without it came from the handler, whatever
/// its status.
#[derive(Clone, Copy, Debug)]
struct Answered;

/// Marks `request` as passed on by a layer waiting for a layer further in to answer it, and says
/// whether a layer further out already did so.
pub(crate) fn forward<B>(request: &mut Request<B>) -> bool {
    request.extensions_mut().insert(Forwarded).is_some()
}

/// Whether a layer further out passed `request` on and waits for this one's answer; only looked
/// up once some layer has another inside it, the only kind that passes preflights on.
fn is_forwarded<B>(request: &Request<B>) -> bool {
    crate::census::any_nested() && request.extensions().get::<Forwarded>().is_some()
}

/// Marks `response` as a layer's answer to the preflight `request`, when a layer further out
/// passed it on and waits for one.
fn mark_answered<B, R>(response: &mut Response<B>, request: &Request<R>) {
    if is_forwarded(request) {
        response.extensions_mut().insert(Answered);
    }
}

impl Finish {
    /// Applies the decision to the response the inner service returned.
    pub(crate) fn apply<B: Default>(
        self,
        policy: &'static Policy,
        handler: &'static Handler,
        response: &mut Response<B>,
    ) {
        let carried = Carried::by(response.headers());
        match self {
            Self::Grant(origin) => grant(policy, origin, response.headers_mut()),
            Self::Refuse if carried.grant => withdraw(response.headers_mut()),
            Self::Refuse | Self::VaryOnly => {}
            // a layer further in answered it, granted or refused, and logged it
            Self::PreflightElsewhere(elsewhere) => {
                if response.extensions().get::<Answered>().is_none() {
                    let Elsewhere {
                        method,
                        origin,
                        forwarded,
                    } = *elsewhere;
                    log::unanswered(policy, handler, method.as_ref());
                    answer_instead(policy, response, origin, forwarded);
                    return;
                }
            }
        }
        vary::finish(policy, carried.vary, response.headers_mut());
    }
}

/// Which of the headers a layer finishes the handler's response with it carries already, found in
/// one pass over its names: a handler's response has a few, and a lookup by name hashes the name
/// each time.
#[derive(Clone, Copy, Debug, Default)]
struct Carried {
    /// `Access-Control-Allow-Origin`: a layer further in granted the request.
    grant: bool,
    /// `Vary`.
    vary: bool,
}

impl Carried {
    fn by(headers: &HeaderMap) -> Self {
        let mut carried = Self::default();
        for name in headers.keys() {
            carried.grant |= name == ACCESS_CONTROL_ALLOW_ORIGIN;
            carried.vary |= name == VARY;
        }
        carried
    }
}

/// The answer to a granted preflight: the policy's lists, as [`preflight_explained`] sends them
/// (or, where its `*` comes with credentials, what the preflight asked for, echoed), and its
/// `Access-Control-Max-Age`; the handler is not called.
pub(crate) fn preflight_granted<B: Default, R>(
    policy: &Policy,
    origin: HeaderValue,
    request: &mut Request<R>,
) -> Response<B> {
    let mut response = if policy.echoes_method() || policy.echoes_headers() {
        echoed(policy, origin, request)
    } else {
        preflight_explained(policy, origin, request)
    };
    append_some(
        response.headers_mut(),
        ACCESS_CONTROL_MAX_AGE,
        policy.max_age.as_ref(),
    );
    response
}

/// The granted answer of a policy that echoes the preflight: the echo clones values of the
/// request's own header map, so the answer takes a new one.
#[inline(never)]
fn echoed<B: Default, R>(
    policy: &Policy,
    origin: HeaderValue,
    request: &Request<R>,
) -> Response<B> {
    let mut response = Response::new(B::default());
    *response.status_mut() = StatusCode::NO_CONTENT;
    *response.headers_mut() = HeaderMap::with_capacity(GRANTED_CAPACITY);
    mark_answered(&mut response, request);
    let headers = response.headers_mut();
    append_origin(policy, origin, headers);
    allow_methods_and_headers(policy, request.headers(), headers);
    vary::add_to_new(policy, headers);
    response
}

/// The answer to a preflight refused for its origin: `403` and no `Access-Control-Allow-*`
/// header, so nothing of the policy is disclosed.
// out of line, like the other answers: `Cors::call` stays small on the way to the handler
#[inline(never)]
pub(crate) fn preflight_refused<B: Default, R>(
    policy: &Policy,
    request: &mut Request<R>,
) -> Response<B> {
    let mut response = answer_to(request, StatusCode::FORBIDDEN, REFUSED_CAPACITY);
    vary::add_to_new(policy, response.headers_mut());
    response
}

/// `403` with no CORS header and the policy's `Vary`: a request the policy's `csrf` refuses.
pub(crate) fn forbidden<B: Default>(policy: &Policy) -> Response<B> {
    let mut response = Response::new(B::default());
    *response.status_mut() = StatusCode::FORBIDDEN;
    *response.headers_mut() = HeaderMap::with_capacity(REFUSED_CAPACITY);
    vary::add_to_new(policy, response.headers_mut());
    response
}

/// `204` with the `Access-Control-Allow-*` headers a granted preflight sends to `origin`, but no
/// `Access-Control-Max-Age`: the answer to a preflight refused for its method or headers as well.
/// The browser compares the lists with what it asked for, so its console names the method or
/// header that is missing rather than an origin; they disclose nothing, since any granted
/// preflight sends them to this origin.
///
/// The map is empty, so each header is appended: nothing to replace, nothing to look up.
// out of line: `Cors::call` stays small on the way to the handler
#[inline(never)]
pub(crate) fn preflight_explained<B: Default, R>(
    policy: &Policy,
    origin: HeaderValue,
    request: &mut Request<R>,
) -> Response<B> {
    let mut response = answer_to(request, StatusCode::NO_CONTENT, GRANTED_CAPACITY);
    let headers = response.headers_mut();
    append_lists(policy, origin, headers);
    vary::add_to_new(policy, headers);
    response
}

/// Turns the handler's answer to a preflight no layer answered into this policy's answer,
/// reusing its header map when it has room: [the policy's lists](preflight_explained) when the policy grants the
/// preflight's `origin`, else the refusal [`preflight_refused`] makes.
// rare (a preflight no layer answered): kept out of the finishing of every actual response
#[cold]
#[inline(never)]
fn answer_instead<B: Default>(
    policy: &Policy,
    response: &mut Response<B>,
    origin: Option<HeaderValue>,
    forwarded: bool,
) {
    *response.body_mut() = B::default();
    *response.extensions_mut() = http::Extensions::new();
    let room = match origin {
        Some(_) => GRANTED_CAPACITY,
        None => REFUSED_CAPACITY,
    };
    empty_with_room(response.headers_mut(), room);
    *response.status_mut() = match origin {
        Some(origin) => {
            append_lists(policy, origin, response.headers_mut());
            StatusCode::NO_CONTENT
        }
        None => StatusCode::FORBIDDEN,
    };
    vary::add_to_new(policy, response.headers_mut());
    if forwarded {
        response.extensions_mut().insert(Answered);
    }
}

/// Appends the `Access-Control-Allow-*` headers a granted preflight sends to `origin`, with the
/// policy's own lists (never an echo: the preflight was not granted), but no
/// `Access-Control-Max-Age`, to a new map.
// into the answers, which call nothing else
#[inline]
fn append_lists(policy: &Policy, origin: HeaderValue, headers: &mut HeaderMap) {
    append_origin(policy, origin, headers);
    headers.append(ACCESS_CONTROL_ALLOW_METHODS, policy.allow_methods.clone());
    append_some(
        headers,
        ACCESS_CONTROL_ALLOW_HEADERS,
        policy.allow_headers.as_ref(),
    );
}

/// Appends `Access-Control-Allow-Origin`, and `-Allow-Credentials` when the policy allows them.
fn append_origin(policy: &Policy, origin: HeaderValue, headers: &mut HeaderMap) {
    headers.append(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    if policy.rules.credentials {
        headers.append(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
    }
}

/// `Access-Control-Allow-Methods` and `-Headers` of a granted preflight: the policy's, or, where
/// its `*` comes with credentials and browsers would read it as a name, what the preflight asked
/// for, echoed.
///
/// The echo runs only once the decision granted the preflight, so the requested method is the
/// one line a browser sends and every requested name was read and allowed (`authorization` only
/// when listed), in work bounded by the policy. Echoing clones the request's own values, which
/// share their bytes with it (for values hyper parsed, a reference count): nothing is copied.
fn allow_methods_and_headers(policy: &Policy, request: &HeaderMap, headers: &mut HeaderMap) {
    let method = match request.get(ACCESS_CONTROL_REQUEST_METHOD) {
        Some(requested) if policy.echoes_method() => requested,
        _ => &policy.allow_methods,
    };
    headers.append(ACCESS_CONTROL_ALLOW_METHODS, method.clone());
    if !policy.echoes_headers() {
        append_some(
            headers,
            ACCESS_CONTROL_ALLOW_HEADERS,
            policy.allow_headers.as_ref(),
        );
        return;
    }
    for requested in request.get_all(ACCESS_CONTROL_REQUEST_HEADERS) {
        if !requested.is_empty() {
            headers.append(ACCESS_CONTROL_ALLOW_HEADERS, requested.clone());
        }
    }
}

/// Room for the six headers of a granted preflight and two more: on the way out axum adds
/// `Content-Length` and, to what its fallback route (which receives preflights) returns, `Allow`.
/// A full map would grow, at the cost of two more allocations.
const GRANTED_CAPACITY: usize = 8;

/// Room for `Vary` and the two headers axum adds.
const REFUSED_CAPACITY: usize = 3;

/// An empty `status` answer to `request`, a preflight this layer answers itself, marked for a
/// layer further out that waits for it.
///
/// The handler never sees the request, so the answer takes its header map, emptied, when it has
/// room for `room` headers: hyper reserves one for each header it reads (a browser's preflight has
/// a dozen) and, once the response is written, keeps the map for the next request on the
/// connection, so a preflight is answered without allocating one. Nothing of the request is left
/// in it; the request keeps the answer's empty map, which allocated nothing.
fn answer_to<B: Default, R>(
    request: &mut Request<R>,
    status: StatusCode,
    room: usize,
) -> Response<B> {
    let mut response = Response::new(B::default());
    *response.status_mut() = status;
    std::mem::swap(response.headers_mut(), request.headers_mut());
    empty_with_room(response.headers_mut(), room);
    mark_answered(&mut response, request);
    response
}

/// Empties `headers`, or replaces them with a new map if they have no room for `room` headers: a
/// map too small for the answer and what axum adds would grow, twice.
fn empty_with_room(headers: &mut HeaderMap, room: usize) {
    if headers.capacity() < room {
        *headers = HeaderMap::with_capacity(room);
    } else {
        headers.clear();
    }
}

/// Sends this policy's grant, replacing one an inner layer may have sent (the outermost layer
/// that lists the method answers, for actual requests as for preflights).
#[inline]
fn grant(policy: &Policy, origin: HeaderValue, headers: &mut HeaderMap) {
    let replaced = headers
        .insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin)
        .is_some();
    if policy.rules.credentials {
        headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
    } else if replaced {
        headers.remove(ACCESS_CONTROL_ALLOW_CREDENTIALS);
    }
    match &policy.expose_headers {
        Some(expose) => {
            headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
        }
        None if replaced => {
            headers.remove(ACCESS_CONTROL_EXPOSE_HEADERS);
        }
        None => {}
    }
}

/// Removes a grant an inner layer may have sent.
fn withdraw(headers: &mut HeaderMap) {
    if headers.remove(ACCESS_CONTROL_ALLOW_ORIGIN).is_some() {
        headers.remove(ACCESS_CONTROL_ALLOW_CREDENTIALS);
        headers.remove(ACCESS_CONTROL_EXPOSE_HEADERS);
    }
}

fn append_some(headers: &mut HeaderMap, name: http::HeaderName, value: Option<&HeaderValue>) {
    if let Some(value) = value {
        headers.append(name, value.clone());
    }
}
