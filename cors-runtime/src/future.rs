//! The future of a [`Cors`](crate::Cors) service's response.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use http::Response;
use pin_project_lite::pin_project;

use crate::response::Finish;
use crate::{Handler, Policy};

pin_project! {
    /// The response of a [`Cors`](crate::Cors) service: a preflight answered on the spot, or the
    /// inner service's response, finished with the policy's headers.
    pub struct ResponseFuture<F, B> {
        #[pin]
        state: State<F, B>,
        policy: &'static Policy,
        handler: &'static Handler,
        // what to do to the inner service's response; nothing, for an answer made on the spot
        finish: Finish,
        // whether to mark the response as finished by a `#[cors]` layer
        mark: bool,
    }
}

pin_project! {
    #[project = StateProjection]
    enum State<F, B> {
        // the inner future alone, which the compiler then makes in place rather than copies in
        Pending {
            #[pin]
            future: F,
        },
        Answered {
            response: Answered<B>,
        },
    }
}

/// A response made on the spot, which the first poll of the future holding it takes.
pub(crate) struct Answered<B>(Option<Response<B>>);

impl<B> Answered<B> {
    /// Holds `response` until it is taken.
    pub(crate) const fn new(response: Response<B>) -> Self {
        Self(Some(response))
    }

    /// The response.
    ///
    /// # Panics
    /// When taken twice: a future polled after it completed.
    pub(crate) fn take(&mut self) -> Response<B> {
        self.0
            .take()
            .expect("a CORS response future polled after it completed")
    }
}

impl<F, B> ResponseFuture<F, B> {
    /// The inner service's response, once it comes, finished as `finish` says, and marked as
    /// finished by a `#[cors]` layer when `mark` (for an outer layer that waits to hear it).
    pub(crate) const fn pending(
        future: F,
        policy: &'static Policy,
        handler: &'static Handler,
        finish: Finish,
        mark: bool,
    ) -> Self {
        Self {
            state: State::Pending { future },
            policy,
            handler,
            finish,
            mark,
        }
    }

    /// An answer made by the layer itself, for `policy` on behalf of `handler`, marked as
    /// finished by a `#[cors]` layer when `mark`.
    pub(crate) fn answered(
        mut response: Response<B>,
        policy: &'static Policy,
        handler: &'static Handler,
        mark: bool,
    ) -> Self {
        if mark {
            crate::outer::finished(&mut response);
        }
        Self {
            state: State::Answered {
                response: Answered::new(response),
            },
            policy,
            handler,
            finish: Finish::VaryOnly,
            mark: false,
        }
    }
}

impl<F, B, E> Future for ResponseFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
    B: Default,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        match this.state.project() {
            StateProjection::Pending { future } => {
                let mut response = ready!(future.poll(cx))?;
                std::mem::replace(this.finish, Finish::VaryOnly).apply(
                    this.policy,
                    this.handler,
                    &mut response,
                );
                if *this.mark {
                    crate::outer::finished(&mut response);
                }
                Poll::Ready(Ok(response))
            }
            StateProjection::Answered { response } => Poll::Ready(Ok(response.take())),
        }
    }
}

impl<F, B> std::fmt::Debug for ResponseFuture<F, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}
