//! The one door from the `#[cors]` expansion into this crate. Not public API: anything here may
//! change in any release.

pub use cors_rules::origin::{HostPattern, OriginPattern, PortPattern, Scheme};
pub use http::HeaderValue;
pub use inventory;

pub use crate::env::{EnvError, FromEnv, Source, policy_from_env};
pub use crate::origin::AllowedOrigins;
pub use crate::origins::NamedUse;
pub use crate::policy::{Policy, Rules};
pub use crate::route::{Declaration, Handler, Registration};
pub use crate::{CorsLayer, Origins};

/// The set that `origins = SET` names, which must be an [`Origins`] `static`: a `const` or a
/// local would not be one set that every request and every `replace` share.
#[must_use]
pub const fn set_of_origins(set: &'static Origins) -> &'static Origins {
    set
}
