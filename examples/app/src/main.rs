//! cargo run -p cors-example
//!
//! [The FastAPI CORS tutorial](https://fastapi.tiangolo.com/tutorial/cors/) ported to `#[cors]`.
//! One binary serves two things:
//!
//! - the API on `http://127.0.0.1:8000` (`api.rs`): `GET /` says hello, `POST /items/` echoes a
//!   JSON item, and a few more handlers each show one argument of `#[cors]`: `*`, `credentials`,
//!   a custom request header, an exposed response header, an origin pattern, and two methods with
//!   different policies on one path; `/ws` echoes a WebSocket and `POST /transfer` takes an HTML
//!   form, both with `csrf`, which refuses them from a page of another origin;
//! - a page on `http://localhost:3000` (`page.html`) whose buttons call the API with `fetch` and
//!   show which calls the browser allowed and which it blocked; below them, the same page from
//!   `http://127.0.0.1:3000`, an origin no policy lists.
//!
//! Open <http://localhost:3000/> in a browser. The console shows every request with its `Origin`
//! and the `Access-Control-Allow-Origin` it got, and every refusal of a policy with its reason
//! (the filter is `info,cors_runtime=debug` unless `RUST_LOG` says otherwise).
//!
//! Where the two servers listen and which origins the page uses are flags, or environment
//! variables when a flag is absent: `--help` lists them (see [`USAGE`]).
//!
//! `--audit` prints every `#[cors]` handler of the binary with its policy, as a table, and
//! `--audit-json` as JSON, for review or for a CI job to diff; both exit without serving.
//!
//! The policies' origins are compiled in. Move the page to another port and the routes that list
//! `http://localhost:3000` refuse it, while `/items/{id}` (`http://localhost:*`) and `/public`
//! (`*`) still let it in: that is CORS doing its job.
//!
//! `/tenant` is the one route whose origins change while the app runs: they are the set
//! `api::TENANTS`, filled with the page's origin at startup. The page's button "Add ... to
//! TENANTS" sends `POST /tenants` with the frame's origin (`http://127.0.0.1:3000`), and the
//! reloaded frame may then read `/tenant`, without a restart.

use cors_example::{api, page};

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::{env, process};

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, HOST, ORIGIN};
use axum::middleware::{self, Next};
use axum::response::Response;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

/// What `--help` and a bad flag print.
const USAGE: &str = "\
usage: cargo run -p cors-example -- [FLAG VALUE]...

  --api-addr ADDR     where the API listens [APP_API_ADDR, default 127.0.0.1:8000]
  --page-addr ADDR    where the page listens [APP_PAGE_ADDR, default 127.0.0.1:3000]
  --api-origin URL    the API's origin, as the page calls it
                      [APP_API_ORIGIN, default http://<API address>]
  --page-origin URL   the origin to open the page at
                      [APP_PAGE_ORIGIN, default http://localhost:<page port>]
  --audit             print every handler's CORS policy as a table, and exit
  --audit-json        the same as JSON";

/// Runs the API and the page until the process is stopped.
#[tokio::main]
async fn main() -> std::io::Result<()> {
    let settings = Settings::from_env_and_args(env::args().skip(1)).unwrap_or_else(|message| {
        eprintln!("{message}\n\n{USAGE}");
        process::exit(2);
    });
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,cors_runtime=debug")),
        )
        .init();

    let api_listener = bind(settings.api_addr, "--api-addr").await;
    let page_listener = bind(settings.page_addr, "--page-addr").await;
    let api_addr = api_listener.local_addr()?;
    let page_addr = page_listener.local_addr()?;
    // the page's other origin: the same server by its IP address
    let other_ip = match page_addr.ip() {
        ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        ip => ip,
    };
    let origins = page::Origins {
        api: settings
            .api_origin
            .unwrap_or_else(|| format!("http://{api_addr}")),
        page: settings
            .page_origin
            .unwrap_or_else(|| format!("http://localhost:{}", page_addr.port())),
        other: format!("http://{}", SocketAddr::new(other_ip, page_addr.port())),
    };
    tracing::info!("the API listens on http://{api_addr}");
    tracing::info!(
        "the page listens on http://{page_addr}: open {}/",
        origins.page
    );

    let api = api::router().layer(middleware::from_fn(log_request));
    let page = page::router(&origins).layer(middleware::from_fn(log_request));
    tokio::try_join!(
        axum::serve(api_listener, api).into_future(),
        axum::serve(page_listener, page).into_future(),
    )?;
    Ok(())
}

/// Where the servers listen and which origins the page uses.
struct Settings {
    /// `--api-addr`.
    api_addr: SocketAddr,
    /// `--page-addr`.
    page_addr: SocketAddr,
    /// `--api-origin`, if given.
    api_origin: Option<String>,
    /// `--page-origin`, if given.
    page_origin: Option<String>,
}

impl Settings {
    /// Reads the environment, then the flags, which win.
    fn from_env_and_args(mut args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut settings = Self {
            api_addr: parse_addr("APP_API_ADDR", &env_or("APP_API_ADDR", "127.0.0.1:8000"))?,
            page_addr: parse_addr("APP_PAGE_ADDR", &env_or("APP_PAGE_ADDR", "127.0.0.1:3000"))?,
            api_origin: env::var("APP_API_ORIGIN").ok().as_deref().map(origin),
            page_origin: env::var("APP_PAGE_ORIGIN").ok().as_deref().map(origin),
        };
        while let Some(flag) = args.next() {
            if flag == "-h" || flag == "--help" {
                println!("{USAGE}");
                process::exit(0);
            }
            if flag == "--audit" || flag == "--audit-json" {
                print_audit(flag == "--audit-json");
                process::exit(0);
            }
            let value = args
                .next()
                .ok_or_else(|| format!("`{flag}` needs a value"))?;
            match flag.as_str() {
                "--api-addr" => settings.api_addr = parse_addr(&flag, &value)?,
                "--page-addr" => settings.page_addr = parse_addr(&flag, &value)?,
                "--api-origin" => settings.api_origin = Some(origin(&value)),
                "--page-origin" => settings.page_origin = Some(origin(&value)),
                _ => return Err(format!("unknown flag `{flag}`")),
            }
        }
        Ok(settings)
    }
}

/// Prints every `#[cors]` handler of this binary with its policy: a table, or JSON.
fn print_audit(json: bool) {
    // the sets of origins are filled when the router is built
    let _ = api::router();
    let entries = cors_runtime::audit::entries();
    if json {
        let json = serde_json::to_string_pretty(&entries).expect("the listing is plain data");
        println!("{json}");
    } else {
        print!("{}", cors_runtime::audit::table(&entries));
    }
}

/// Listens on `addr`, or exits saying which flag moves it.
async fn bind(addr: SocketAddr, flag: &str) -> TcpListener {
    TcpListener::bind(addr).await.unwrap_or_else(|error| {
        eprintln!("cannot listen on {addr}: {error}; choose another address with {flag}");
        process::exit(1);
    })
}

/// The environment variable `name`, or `default` when it is not set.
fn env_or(name: &str, default: &str) -> String {
    env::var(name).unwrap_or_else(|_| default.to_owned())
}

/// A socket address given by the flag or variable `source`.
fn parse_addr(source: &str, value: &str) -> Result<SocketAddr, String> {
    value.parse().map_err(|error| {
        format!("{source}: `{value}` is not an address such as 127.0.0.1:8000: {error}")
    })
}

/// An origin as given, without the trailing `/` that would double the page's paths.
fn origin(value: &str) -> String {
    value.trim_end_matches('/').to_owned()
}

/// Logs each request, and for a CORS request its `Origin` and the `Access-Control-Allow-Origin`
/// it got. Refusals were logged by `cors_runtime` just before, with their reason.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let host = request.headers().get(HOST).map(text).unwrap_or_default();
    let target = format!("{host}{}", request.uri());
    let origin = request.headers().get(ORIGIN).map(text);
    let response = next.run(request).await;
    let status = response.status();
    let Some(origin) = origin else {
        tracing::info!("{method} {target} -> {status}");
        return response;
    };
    let granted = response
        .headers()
        .get(ACCESS_CONTROL_ALLOW_ORIGIN)
        .map_or_else(
            || "no access-control-allow-origin".to_owned(),
            |allowed| format!("access-control-allow-origin: {}", text(allowed)),
        );
    tracing::info!("{method} {target} from {origin} -> {status}, {granted}");
    response
}

/// A header value as text, with anything that is not UTF-8 replaced.
fn text(value: &HeaderValue) -> String {
    String::from_utf8_lossy(value.as_bytes()).into_owned()
}
