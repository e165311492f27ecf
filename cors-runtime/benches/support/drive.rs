//! One request through a router, in-process, with nothing around it: no runtime, no I/O.

use std::pin::pin;
use std::task::{Context, Poll, Waker};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response};
use tower::ServiceExt;

/// The response of `router` to `request`, as `axum::serve` gets it: the router is cloned (an
/// `Arc`) and called once.
///
/// The handlers and layers of the benchmark app never wait, so the future is polled once, with a
/// waker that does nothing; a runtime would only add its own cost to every variant.
pub(crate) fn respond(router: &Router, request: Request<Body>) -> Response<Body> {
    let mut future = pin!(router.clone().oneshot(request));
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(Ok(response)) => response,
        Poll::Ready(Err(never)) => match never {},
        Poll::Pending => panic!("the benchmark app waited; its handlers and layers never should"),
    }
}
