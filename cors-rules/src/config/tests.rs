//! What a whole configuration passes and what it is refused for, site by site.

use super::*;

fn config<'a>(origins: &[&'a str]) -> Config<'a> {
    Config {
        origins: origins.to_vec(),
        ..Config::default()
    }
}

fn problems(config: &Config<'_>) -> Vec<(Site, Option<Site>)> {
    validate(config)
        .expect_err("configuration should be refused")
        .into_iter()
        .map(|p| (p.site, p.other))
        .collect()
}

#[test]
fn defaults_grant_the_safelisted_methods_and_nothing_else() {
    let valid = validate(&config(&["https://app.example.com"])).unwrap();
    assert_eq!(valid.allow_methods, "GET, HEAD, POST");
    assert_eq!(valid.allow_headers, None);
    assert_eq!(valid.expose_headers, None);
    assert_eq!(valid.max_age, None);
    assert!(matches!(valid.origins, Some(Origins::List { .. })));
}

#[test]
fn the_full_example_renders_its_header_values() {
    let valid = validate(&Config {
        origins: vec!["https://app.example.com", "http://localhost:3000"],
        credentials: true,
        methods: Some(vec!["GET", "POST"]),
        headers: vec!["Content-Type", "x-api-key"],
        expose: vec!["x-request-id"],
        max_age: Some(600),
        ..Config::default()
    })
    .unwrap();
    assert_eq!(valid.allow_methods, "GET, POST");
    assert_eq!(
        valid.methods,
        Methods::List(vec!["GET".into(), "POST".into(), "HEAD".into()])
    );
    assert_eq!(
        valid.allow_headers.as_deref(),
        Some("content-type, x-api-key")
    );
    assert_eq!(valid.expose_headers.as_deref(), Some("x-request-id"));
    assert_eq!(valid.max_age, Some(600));
    assert_eq!(
        valid.origins.unwrap(),
        Origins::List {
            exact: vec![
                "https://app.example.com".into(),
                "http://localhost:3000".into()
            ],
            patterns: vec![]
        }
    );
}

#[test]
fn star_alone_allows_every_origin() {
    let valid = validate(&config(&["*"])).unwrap();
    assert_eq!(valid.origins, Some(Origins::Any));
}

#[test]
fn star_origins_and_exposed_star_with_credentials_are_refused_at_both_ends() {
    let mut c = config(&["*"]);
    c.credentials = true;
    c.methods = Some(vec!["*"]);
    c.headers = vec!["*"];
    c.expose = vec!["*"];
    assert_eq!(
        problems(&c),
        vec![
            (Site::Origin(0), Some(Site::Credentials)),
            (Site::Expose(0), Some(Site::Credentials)),
        ]
    );
}

#[test]
fn the_fastapi_tutorial_configuration_is_valid() {
    let mut c = config(&[
        "http://localhost:3000",
        "https://your-frontend.com",
        "https://staging.your-frontend.com",
    ]);
    c.credentials = true;
    c.methods = Some(vec!["GET", "POST", "PUT", "DELETE", "OPTIONS"]);
    c.headers = vec!["*"];
    let valid = validate(&c).unwrap();
    assert_eq!(
        valid.allow_methods.as_str(),
        "GET, POST, PUT, DELETE, OPTIONS"
    );
    assert!(valid.headers.any && valid.headers.names.is_empty());
}

#[test]
fn star_with_csrf_is_refused_at_both_ends_with_the_fix() {
    let mut c = config(&["*"]);
    c.csrf = true;
    assert_eq!(problems(&c), vec![(Site::Origin(0), Some(Site::Csrf))]);
    let message = &validate(&c).unwrap_err()[0].message;
    assert!(
        message.contains("list the origins whose pages may write"),
        "{message}"
    );
}

#[test]
fn origins_read_at_startup_are_refused_star_with_csrf_by_the_same_rule() {
    let problems = check_origins(&["*"], false, false, true).unwrap_err();
    assert_eq!(
        problems,
        validate(&Config {
            csrf: true,
            ..config(&["*"])
        })
        .unwrap_err()
    );
    assert_eq!(check_origins(&["*"], false, false, false), Ok(Origins::Any));
}

#[test]
fn csrf_with_listed_origins_is_valid() {
    let mut c = config(&["https://app.example.com"]);
    c.csrf = true;
    assert!(validate(&c).unwrap().csrf);
}

#[test]
fn public_suffix_patterns_are_refused_only_with_credentials() {
    let mut c = config(&[
        "https://*.com",
        "https://*.co.uk",
        "https://*.github.io",
        "https://*.example.com",
    ]);
    assert!(validate(&c).is_ok());
    c.credentials = true;
    assert_eq!(
        problems(&c),
        vec![
            (Site::Origin(0), Some(Site::Credentials)),
            (Site::Origin(1), Some(Site::Credentials)),
            (Site::Origin(2), Some(Site::Credentials)),
        ]
    );
}

#[test]
fn insecure_origins_need_the_opt_out_with_credentials() {
    let mut c = config(&["http://intranet.example.com", "http://localhost:3000"]);
    c.credentials = true;
    assert_eq!(
        problems(&c),
        vec![(Site::Origin(0), Some(Site::Credentials))]
    );
    c.insecure_http = true;
    assert!(validate(&c).is_ok());
    c.origins = vec!["http://localhost:3000"];
    assert_eq!(problems(&c), vec![(Site::InsecureHttp, None)]);
    c.credentials = false;
    assert_eq!(problems(&c), vec![(Site::InsecureHttp, None)]);
}

#[test]
fn duplicates_are_refused_at_the_second_entry() {
    let mut c = config(&["https://a.com", "https://a.com"]);
    c.methods = Some(vec!["GET", "GET"]);
    c.headers = vec!["X-Api-Key", "x-api-key"];
    c.expose = vec!["x-id", "X-ID"];
    assert_eq!(
        problems(&c),
        vec![
            (Site::Origin(1), None),
            (Site::Method(1), None),
            (Site::Header(1), None),
            (Site::Expose(1), None),
        ]
    );
}

#[test]
fn star_must_stand_alone_except_authorization_beside_star_headers() {
    let mut c = config(&["*", "https://a.com"]);
    c.headers = vec!["*", "authorization"];
    assert_eq!(problems(&c), vec![(Site::Origin(0), None)]);
    c.origins = vec!["*"];
    let valid = validate(&c).unwrap();
    assert_eq!(valid.allow_headers.as_deref(), Some("*, authorization"));
    c.headers = vec!["*", "x-foo"];
    assert_eq!(problems(&c), vec![(Site::Header(0), None)]);
}

#[test]
fn empty_lists_and_out_of_range_max_age_are_refused() {
    let mut c = config(&[]);
    c.methods = Some(vec![]);
    c.max_age = Some(-1);
    assert_eq!(
        problems(&c),
        vec![
            (Site::Origins, None),
            (Site::Methods, None),
            (Site::MaxAge, None)
        ]
    );
    c.origins = vec!["https://a.com"];
    c.methods = None;
    c.max_age = Some(86_401);
    assert_eq!(problems(&c), vec![(Site::MaxAge, None)]);
    c.max_age = Some(86_400);
    assert!(validate(&c).is_ok());
}
