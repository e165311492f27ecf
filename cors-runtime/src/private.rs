//! The one door from the `#[cors]` expansion into this crate. Not public API: anything here may
//! change in any release.

pub use cors_rules::origin::Scheme;
pub use cors_rules::table::Case;
pub use http::HeaderValue;
pub use inventory;

pub use crate::audit::Registration;
pub use crate::env::{EnvError, Source, origins_from_env};
pub use crate::handler::Handler;
pub use crate::headers::Headers;
pub use crate::layer::CorsLayer;
pub use crate::methods::Methods;
pub use crate::origin::{Host, Origins, Pattern, Port};
pub use crate::policy::Policy;
pub use crate::table::Table;
