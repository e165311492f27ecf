//! The one door from the `#[cors]` expansion into this crate. Not public API: anything here may
//! change in any release.

pub use cors_rules::origin::{HostPattern, OriginPattern, PortPattern, Scheme};
pub use http::HeaderValue;
pub use inventory;

pub use crate::{CorsLayer, Origins};
pub use crate::env::{EnvError, FromEnv, Source, policy_from_env};
pub use crate::origin::AllowedOrigins;
pub use crate::policy::{Policy, Rules};
pub use crate::route::{Declaration, Handler, Registration};
