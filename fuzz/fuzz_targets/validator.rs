//! Any configuration: the validator behind `#[cors]` never panics, and what it accepts is
//! consistent: exact origins are kept as written, and with credentials neither the origins nor
//! the exposed headers are `*`; what it refuses points at an entry that exists, in rustc's voice.
#![no_main]

use arbitrary::Arbitrary;
use cors_rules::origin::{self, AllowedOrigin};
use cors_rules::Site;
use cors_rules::config::{Config, Origins, validate};
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
        let _ = cors_rules::config::check_origins(
            std::slice::from_ref(text),
            input.credentials,
            input.insecure_http,
            false,
        );
        if let Ok(AllowedOrigin::Exact(serialized)) = origin::parse(text) {
            assert_eq!(
                &serialized, text,
                "an accepted exact origin is kept as written"
            );
        }
    }
    let lengths = (
        input.origins.len(),
        input.methods.as_ref().map_or(0, Vec::len),
        input.headers.len(),
        input.expose.len(),
    );
    let config = Config {
        origins: input.origins,
        origins_at_startup: input.origins_at_startup,
        credentials: input.credentials,
        insecure_http: input.insecure_http,
        csrf: false,
        methods: input.methods,
        headers: input.headers,
        expose: input.expose,
        max_age: input.max_age,
    };
    match validate(&config) {
        // `*` methods and request headers are echoed at run time; origins and exposed headers
        // have nothing to echo, so they never render `*` with credentials
        Ok(valid) if valid.credentials => {
            assert_ne!(valid.origins, Some(Origins::Any), "credentials with every origin");
            if let Some(expose) = &valid.expose_headers {
                assert!(!expose.contains('*'), "credentials with {expose:?}");
            }
        }
        Ok(_) => {}
        Err(problems) => {
            for problem in problems {
                for site in std::iter::once(problem.site).chain(problem.other) {
                    let (origins, methods, headers, expose) = lengths;
                    let within = match site {
                        Site::Origin(index) => index < origins,
                        Site::Method(index) => index < methods,
                        Site::Header(index) => index < headers,
                        Site::Expose(index) => index < expose,
                        _ => true,
                    };
                    assert!(within, "{site:?} is past its list: {}", problem.message);
                }
                let message = &problem.message;
                assert!(
                    !message.ends_with('.') && !message.starts_with(char::is_uppercase),
                    "not in rustc's voice: {message}"
                );
            }
        }
    }
});
