//! Any `Access-Control-Request-Headers` lines: parsing never panics, takes time linear in the
//! input, and a granted preflight asked only for allowed names.
#![no_main]

use cors_runtime::{Decision, Verdict, cors, decide};
use http::header::{ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use http::{HeaderMap, HeaderValue, Method};
use libfuzzer_sys::fuzz_target;

#[cors(origins = ["https://app.example.com"], methods = [POST], headers = ["content-type", "x-api-key"])]
#[expect(dead_code, reason = "only its policy is fuzzed")]
async fn handler() {}

fuzz_target!(|bytes: &[u8]| {
    let mut headers = HeaderMap::new();
    headers.insert(ORIGIN, HeaderValue::from_static("https://app.example.com"));
    headers.insert(
        ACCESS_CONTROL_REQUEST_METHOD,
        HeaderValue::from_static("POST"),
    );
    // each input line is one header line
    for line in bytes.split(|&b| b == b'\n') {
        let Ok(value) = HeaderValue::from_bytes(line) else {
            return;
        };
        headers.append(ACCESS_CONTROL_REQUEST_HEADERS, value);
    }
    let decision = decide(handler::policy(), &Method::OPTIONS, &headers);
    if let Decision::Preflight(Verdict::Allowed(_)) = decision {
        for name in bytes.split(|&b| b == b'\n' || b == b',') {
            let name = name.trim_ascii();
            assert!(
                name.is_empty()
                    || name.eq_ignore_ascii_case(b"content-type")
                    || name.eq_ignore_ascii_case(b"x-api-key"),
                "granted a preflight asking for {:?}",
                name.escape_ascii().to_string()
            );
        }
    }
});
