//! The `#[cors]` layers inside the service a layer wraps, counted once when the layer is built, so
//! that a preflight for a method the layer does not list is passed on only to a layer that will
//! answer it, and never to a handler.
//!
//! axum erases the types of the services it routes to, so a layer cannot tell from its inner
//! service's type whether a `#[cors]` layer or a handler is inside. It can tell by cloning it: a
//! clone is deep (axum's `Route` clones its boxed service, tower's wrappers clone what they wrap)
//! and every [`Cors`](crate::Cors) notes its policy when it is cloned while a census is open on its
//! thread. A service shared behind an `Arc` (a whole `Router` given to `nest_service` or wrapped
//! with `ServiceBuilder`) is not looked into: its layers are not counted, and a preflight the
//! outer layer does not list is answered by the outer layer, refused rather than passed on.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::{Handler, Policy};

/// How many censuses are open on any thread: while none is, a clone notes nothing and costs one
/// load.
static OPEN: AtomicUsize = AtomicUsize::new(0);

/// Whether a census in this process found a `#[cors]` layer inside another: until one has, no
/// layer passes a preflight on to another, and none need look for one passed on.
static FOUND_ANY: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// The layers cloned on this thread since its census opened, outermost first.
    static FOUND: RefCell<Option<Vec<Member>>> = const { RefCell::new(None) };
}

/// One `#[cors]` layer found inside another.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Member {
    /// The policy the layer applies.
    pub(crate) policy: &'static Policy,
    /// The handler it was made for, whose name its log events carry.
    pub(crate) handler: &'static Handler,
}

/// The `#[cors]` layers inside a layer's service, outermost first; nothing allocated when there
/// are none, the usual case of one policy on a route.
#[derive(Clone, Debug, Default)]
pub(crate) struct Nested(Option<Arc<[Member]>>);

/// Closes the census on this thread even if a clone panics.
struct Open(Option<Vec<Member>>);

impl Drop for Open {
    fn drop(&mut self) {
        let outer = self.0.take();
        FOUND.with(|found| *found.borrow_mut() = outer);
        OPEN.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Nested {
    /// Counts the `#[cors]` layers inside `inner` by cloning it once.
    pub(crate) fn count<S: Clone>(inner: &S) -> Self {
        OPEN.fetch_add(1, Ordering::SeqCst);
        let open = Open(FOUND.with(|found| found.replace(Some(Vec::new()))));
        drop(inner.clone());
        let found = FOUND
            .with(|found| found.borrow_mut().take())
            .unwrap_or_default();
        drop(open);
        if found.is_empty() {
            return Self(None);
        }
        // set before the layer exists, so before it can pass any preflight on
        FOUND_ANY.store(true, Ordering::Relaxed);
        Self(Some(found.into()))
    }

    /// Who answers a preflight for `method`, which the layer itself does not list: `None` when a
    /// layer further in lists it and will answer, else the innermost layer, whose answer the
    /// preflight got before it was stopped here, or `None` as well when there is none, for the
    /// layer itself to answer.
    pub(crate) fn answerer(&self, method: &[u8]) -> Answerer {
        let Some(members) = &self.0 else {
            return Answerer::Here(None);
        };
        if members
            .iter()
            .any(|member| member.policy.rules.methods.allows(method))
        {
            return Answerer::FurtherIn;
        }
        Answerer::Here(members.last().copied())
    }
}

/// Whether any `#[cors]` layer in this process has another inside it, and so may pass a
/// preflight on to it.
#[inline]
pub(crate) fn any_nested() -> bool {
    FOUND_ANY.load(Ordering::Relaxed)
}

/// Where a preflight for a method a layer does not list is answered.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Answerer {
    /// By a layer further in, which lists the method.
    FurtherIn,
    /// By this layer, on behalf of the innermost layer inside it when there is one.
    Here(Option<Member>),
}

/// Notes a layer being cloned, when a census is open on this thread.
#[inline]
pub(crate) fn note(policy: &'static Policy, handler: &'static Handler) {
    if OPEN.load(Ordering::Relaxed) != 0 {
        note_open(policy, handler);
    }
}

/// Notes a layer being cloned while a census is open on some thread: out of line, so that the
/// clone of every request (axum clones a route's service to call it) pays only the load.
#[cold]
#[inline(never)]
fn note_open(policy: &'static Policy, handler: &'static Handler) {
    FOUND.with(|found| {
        if let Some(found) = found.borrow_mut().as_mut() {
            found.push(Member { policy, handler });
        }
    });
}
