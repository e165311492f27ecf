//! One named policy on two handlers; each keeps its own name.
use axum::Router;
use axum::routing::get;
use cors_runtime::{cors, cors_policy};

mod policies {
    use cors_runtime::cors_policy;

    cors_policy!(
        /// The single-page app's policy.
        pub FRONTEND,
        origins = ["https://app.example.com"],
        credentials,
        methods = [GET, POST],
        headers = ["content-type"]
    );
}

cors_policy!(PUBLIC, origins = ["*"]);

#[cors(policy = policies::FRONTEND)]
async fn profile() -> &'static str {
    "profile"
}

#[cors(policy = policies::FRONTEND)]
async fn settings() -> &'static str {
    "settings"
}

#[cors(policy = PUBLIC)]
async fn status() -> &'static str {
    "status"
}

fn main() {
    let _app: Router = Router::new()
        .route("/profile", get(profile).layer(profile::layer()))
        .route("/settings", get(settings).layer(settings::layer()))
        .route("/status", get(status).layer(status::layer()));
    assert!(std::ptr::eq(profile::policy(), settings::policy()));
    assert!(profile::policy().credentials());
    assert_eq!(profile::layer().handler().name(), "profile");
    assert_eq!(settings::layer().handler().policy_name(), Some("policies::FRONTEND"));
    assert!(!status::policy().varies_with_origin());
}
