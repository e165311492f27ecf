//! Any configuration: the validator behind `#[cors]` never panics, and what it accepts is
//! consistent: exact origins are kept as written, and nothing with credentials renders `*`.
#![no_main]

use arbitrary::Arbitrary;
use cors_rules::origin::{self, AllowedOrigin};
use cors_rules::policy::{Config, validate};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    origins: Vec<&'a str>,
    origins_at_startup: bool,
    credentials: bool,
    insecure_http: bool,
    methods: Option<Vec<&'a str>>,
    headers: Vec<&'a str>,
    expose: Vec<&'a str>,
    max_age: Option<i128>,
}

fuzz_target!(|input: Input<'_>| {
    for text in &input.origins {
        // origins read at startup go through the same parser
        let _ = cors_rules::policy::check_origins(
            std::slice::from_ref(text),
            input.credentials,
            input.insecure_http,
        );
        if let Ok(AllowedOrigin::Exact(serialized)) = origin::parse(text) {
            assert_eq!(
                &serialized, text,
                "an accepted exact origin is kept as written"
            );
        }
    }
    let config = Config {
        origins: input.origins,
        origins_at_startup: input.origins_at_startup,
        credentials: input.credentials,
        insecure_http: input.insecure_http,
        methods: input.methods,
        headers: input.headers,
        expose: input.expose,
        max_age: input.max_age,
    };
    match validate(&config) {
        Ok(valid) if valid.credentials => {
            let rendered = [
                Some(&valid.allow_methods),
                valid.allow_headers.as_ref(),
                valid.expose_headers.as_ref(),
            ];
            for value in rendered.into_iter().flatten() {
                assert!(!value.contains('*'), "credentials with {value:?}");
            }
        }
        Ok(_) => {}
        Err(problems) => assert!(!problems.is_empty()),
    }
});
