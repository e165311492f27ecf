//! The future of an [`Outer`](super::Outer) service's response.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use http::Response;
use pin_project_lite::pin_project;

use super::warn::Seen;
use crate::future::Answered;
use crate::response::Finish;
use crate::{Handler, Policy};

/// The name the outer layer's log events carry.
static OUTER: Handler = Handler::new("cors_runtime::outer", file!(), line!(), "");

pin_project! {
    /// The response of an [`Outer`](super::Outer) service: a preflight answered on the spot, or
    /// the inner service's response, finished with the outer policy's headers when no `#[cors]`
    /// layer finished it.
    pub struct OuterFuture<F, B> {
        #[pin]
        state: State<F, B>,
    }
}

pin_project! {
    #[project = StateProjection]
    enum State<F, B> {
        Passed {
            #[pin]
            future: F,
            seen: Option<Seen>,
            finish: Option<(&'static Policy, Finish)>,
        },
        Answered {
            response: Answered<B>,
        },
    }
}

impl<F, B> OuterFuture<F, B> {
    pub(super) const fn passed(
        future: F,
        seen: Option<Seen>,
        finish: Option<(&'static Policy, Finish)>,
    ) -> Self {
        Self {
            state: State::Passed {
                future,
                seen,
                finish,
            },
        }
    }

    pub(super) const fn answered(response: Response<B>) -> Self {
        Self {
            state: State::Answered {
                response: Answered::new(response),
            },
        }
    }
}

impl<F, B, E> Future for OuterFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
    B: Default,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProjection::Passed {
                future,
                seen,
                finish,
            } => {
                let mut response = ready!(future.poll(cx))?;
                if !super::is_finished(&response) {
                    let finish = finish.take();
                    if let Some(seen) = seen.take() {
                        seen.report(response.status(), finish.is_some());
                    }
                    if let Some((policy, finish)) = finish {
                        finish.apply(policy, &OUTER, &mut response);
                    }
                }
                Poll::Ready(Ok(response))
            }
            StateProjection::Answered { response } => Poll::Ready(Ok(response.take())),
        }
    }
}

impl<F, B> std::fmt::Debug for OuterFuture<F, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OuterFuture").finish_non_exhaustive()
    }
}
