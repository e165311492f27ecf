//! Any `Origin` bytes: the matcher never panics, and grants only a listed origin or a real
//! subdomain of the pattern's domain.
#![no_main]

use cors_runtime::{AllowOrigin, Decision, Verdict, cors, decide};
use http::header::ORIGIN;
use http::{HeaderMap, HeaderValue, Method};
use libfuzzer_sys::fuzz_target;

#[cors(origins = ["https://app.example.com", "http://localhost:3000", "https://*.example.org", "http://localhost:*"],
       credentials)]
#[expect(dead_code, reason = "only its policy is fuzzed")]
async fn handler() {}

fuzz_target!(|bytes: &[u8]| {
    let Ok(value) = HeaderValue::from_bytes(bytes) else {
        return;
    };
    let mut headers = HeaderMap::new();
    headers.insert(ORIGIN, value);
    match decide(handler::policy(), &Method::GET, &headers) {
        Decision::Actual(Verdict::Allowed(AllowOrigin::Listed(listed))) => {
            assert_eq!(listed.as_bytes(), bytes);
        }
        Decision::Actual(Verdict::Allowed(AllowOrigin::Echo(echoed))) => {
            assert_eq!(echoed.as_bytes(), bytes);
            let text = std::str::from_utf8(bytes).expect("a granted origin is ASCII");
            let subdomain = text
                .strip_prefix("https://")
                .and_then(|host| host.strip_suffix(".example.org"))
                .is_some_and(|labels| {
                    labels.split('.').all(|label| {
                        !label.is_empty()
                            && label.bytes().all(|b| {
                                b.is_ascii_lowercase()
                                    || b.is_ascii_digit()
                                    || b == b'-'
                                    || b == b'_'
                            })
                    })
                });
            let local_port = text.strip_prefix("http://localhost").is_some_and(|port| {
                port.is_empty()
                    || port.strip_prefix(':').is_some_and(|p| {
                        p.parse::<u16>()
                            .is_ok_and(|n| n > 0 && n != 80 && n.to_string() == p)
                    })
            });
            assert!(subdomain || local_port, "granted {text}");
        }
        Decision::Actual(_) => {}
        other => panic!("a GET with one Origin is an actual request, got {other:?}"),
    }
});
