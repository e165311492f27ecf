//! The `WARN` an outer layer logs when a CORS request was answered outside every `#[cors]` layer.

use std::sync::{Mutex, OnceLock};

use http::{Request, StatusCode, Uri};

use crate::decision::Asked;
use crate::route::Registration;

/// At most this many paths and statuses are warned about, each once; then nothing more.
const MOST: usize = 1024;

/// The paths and statuses already warned about.
static WARNED: Mutex<Vec<(String, StatusCode)>> = Mutex::new(Vec::new());

/// A CORS request on its way in, kept for the warning its answer may deserve.
#[derive(Debug)]
pub(crate) struct Seen {
    uri: Uri,
    preflight: bool,
}

impl Seen {
    /// The request, if it is a CORS request (it has `Origin`).
    pub(crate) fn of<B>(asked: &Asked<'_>, request: &Request<B>) -> Option<Self> {
        asked.has_origin().then(|| Self {
            uri: request.uri().clone(),
            preflight: asked.is_preflight(),
        })
    }

    /// Says that the request was answered `status` outside every `#[cors]` layer, when that
    /// leaves the page unable to read something it should: a preflight, or an error status.
    /// `fixed` says that the outer layer finished the answer with its policy.
    pub(crate) fn report(self, status: StatusCode, fixed: bool) {
        let error = status.is_client_error() || status.is_server_error();
        if !(self.preflight || error) || !app_has_cors_layers() {
            return;
        }
        let path = self.uri.path();
        if fixed {
            tracing::debug!(
                target: "cors_runtime",
                path,
                status = status.as_u16(),
                "answered outside every `#[cors]` layer; finished with the outer layer's policy",
            );
            return;
        }
        if !first_time(path, status) {
            return;
        }
        tracing::warn!(
            target: "cors_runtime",
            path,
            status = status.as_u16(),
            preflight = self.preflight,
            "CORS request answered without passing through any `#[cors]` layer, so the page \
             cannot read the answer: a layer outside them answered it. Add router-wide layers \
             inside the `#[cors]` layer instead (`get(handler).route_layer(auth)\
             .layer(handler::layer())`), or add `cors_runtime::outer(&POLICY)` after every \
             other layer",
        );
    }
}

/// Whether `path` and `status` are warned about for the first time.
fn first_time(path: &str, status: StatusCode) -> bool {
    let mut warned = WARNED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if warned.len() >= MOST || warned.iter().any(|(p, s)| p == path && *s == status) {
        return false;
    }
    warned.push((path.to_owned(), status));
    true
}

/// Whether the app declares any `#[cors]` handler.
fn app_has_cors_layers() -> bool {
    static HAS: OnceLock<bool> = OnceLock::new();
    *HAS.get_or_init(|| inventory::iter::<Registration>.into_iter().next().is_some())
}
