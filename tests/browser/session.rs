//! A WebDriver session in one engine: its capabilities, the calls it makes and the console
//! messages it logs.

use std::fs;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use crate::call::Call;
use crate::engine::{Driver, Engine, Installed};
use crate::scenario::Observed;
use crate::tls;

/// Names the tests give hosts, which Firefox maps to loopback itself
/// (`network.dns.localDomains`); every other name is forced to loopback too
/// (`network.dns.forceResolve`). Requests go through the proxy anyway, which resolves nothing.
const LOCAL_NAMES: &str = "localhost,evil.test,other.test,shop.example.com";

/// Makes the call `arguments[0]` with `fetch` and hands `arguments[1]` what the page saw: an
/// [`Observed`](crate::scenario::Observed).
const FETCH: &str = r#"
const [call, done] = arguments;
const init = { method: call.method, headers: call.headers, credentials: call.credentials };
if (call.body !== null) init.body = call.body;
fetch(call.url, init).then(async (response) => {
  const headers = {};
  for (const name of call.read) headers[name] = response.headers.get(name);
  const readable = [...response.headers.keys()];
  done({ outcome: "allowed", status: response.status, body: await response.text(), headers, readable });
}, (error) => done({ outcome: "blocked", error: `${error.name}: ${error.message}` }));
"#;

/// Every message of Firefox's console service, page errors (CORS errors among them) included,
/// read in Firefox's privileged context.
const FIREFOX_CONSOLE: &str = r"
return Services.console.getMessageArray()
  .map((m) => (m instanceof Ci.nsIScriptError ? m.errorMessage : m.message))
  .join('\n');
";

/// A browser session, with its engine and what its console said.
pub(crate) struct Session {
    /// The WebDriver client.
    pub(crate) client: Client,
    /// The engine behind it.
    pub(crate) engine: Engine,
    /// The console messages read so far, one a line.
    console: String,
    /// The session's profile directory.
    profile: PathBuf,
}

impl Session {
    /// Opens a session with a fresh profile in `installed`'s engine, behind `driver`, sending
    /// everything through `proxy`.
    ///
    /// # Panics
    /// When the driver refuses the session.
    pub(crate) async fn open(installed: &Installed, driver: &Driver, proxy: SocketAddr) -> Self {
        let capabilities = capabilities(installed, driver, proxy);
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|error| {
                panic!(
                    "{} refused a session: {error}\n{}",
                    installed.engine.name(),
                    driver.output()
                )
            });
        Self {
            client,
            engine: installed.engine,
            console: String::new(),
            profile: driver.profile.path().to_owned(),
        }
    }

    /// Makes `call` from the current page with `fetch`, to `url`, and returns what the page saw.
    ///
    /// # Panics
    /// When the script cannot run or returns something else.
    pub(crate) async fn fetch(&self, url: &str, call: &Call) -> Observed {
        let mut argument = serde_json::to_value(call).expect("the call as JSON");
        argument["url"] = Value::from(url);
        let seen = self
            .client
            .execute_async(FETCH, vec![argument])
            .await
            .unwrap_or_else(|error| {
                panic!("{} could not fetch {url}: {error}", self.engine.name())
            });
        serde_json::from_value(seen.clone())
            .unwrap_or_else(|error| panic!("the page reported {seen} ({error})"))
    }

    /// The console messages read so far, one a line.
    pub(crate) fn console(&self) -> &str {
        &self.console
    }

    /// Reads the console messages the engine logged so far: Chromium's `browser` log,
    /// Firefox's console service, or the file the suite's WebKitGTK browser writes them to.
    ///
    /// # Panics
    /// When the engine refuses.
    pub(crate) async fn read_console(&mut self) {
        match self.engine {
            Engine::Chromium => {
                let entries = self
                    .client
                    .issue_cmd(Extension::browser_log())
                    .await
                    .expect("Chromium's browser log");
                for entry in entries.as_array().into_iter().flatten() {
                    if let Some(message) = entry["message"].as_str() {
                        self.console.push_str(message);
                        self.console.push('\n');
                    }
                }
            }
            Engine::Firefox => {
                self.client
                    .issue_cmd(Extension::firefox_context("chrome"))
                    .await
                    .expect("Firefox's privileged context");
                let messages = self.client.execute(FIREFOX_CONSOLE, Vec::new()).await;
                self.client
                    .issue_cmd(Extension::firefox_context("content"))
                    .await
                    .expect("Firefox's page context");
                let messages = messages.expect("Firefox's console messages");
                // the console service keeps every message, so this replaces what was read
                messages
                    .as_str()
                    .unwrap_or_default()
                    .clone_into(&mut self.console);
            }
            Engine::WebKit => {
                // the browser appends to the file, so this replaces what was read
                self.console = fs::read_to_string(webkit_console(&self.profile))
                    .unwrap_or_else(|error| panic!("WebKit's console messages: {error}"));
            }
        }
    }

    /// Ends the session.
    pub(crate) async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// The capabilities of a fresh session in `installed`'s engine that uses `proxy`.
fn capabilities(installed: &Installed, driver: &Driver, proxy: SocketAddr) -> Capabilities {
    let browser = installed.browser.display().to_string();
    let proxy = proxy.to_string();
    let mut capabilities = json!({
        "acceptInsecureCerts": true,
        "proxy": { "proxyType": "manual", "httpProxy": proxy, "sslProxy": proxy },
    });
    let engine = match installed.engine {
        Engine::Chromium => chromium(&browser, driver),
        Engine::Firefox => firefox(&browser),
        Engine::WebKit => {
            // WebKitGTK fails every `https://` request, without connecting anywhere, when given
            // an `sslProxy`: without one it connects to the `https://` sites' loopback ports
            capabilities["proxy"] = json!({ "proxyType": "manual", "httpProxy": proxy });
            webkit(&browser, driver.profile.path())
        }
    };
    merge(&mut capabilities, engine);
    match capabilities {
        Value::Object(map) => map,
        _ => unreachable!("capabilities are an object"),
    }
}

/// Chromium's own capabilities: its flags, and its console kept for the `browser` log.
fn chromium(browser: &str, driver: &Driver) -> Value {
    json!({
        "goog:chromeOptions": {
            "binary": browser,
            "args": [
                "--headless",
                // the sandbox needs user namespaces or a setuid helper, which containers and
                // root lack; the pages are the tests' own
                "--no-sandbox",
                "--disable-gpu",
                // the network is loopback only: whatever Chromium fetches for itself would
                // only make refused connections, and slow every run
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                format!("--user-data-dir={}", driver.profile.path().display()),
                // Chromium bypasses proxies for loopback names unless told otherwise
                "--proxy-bypass-list=<-loopback>",
                // no name is resolved: the proxy serves every site
                "--host-resolver-rules=EXCLUDE 127.0.0.1, MAP * ~NOTFOUND",
            ],
        },
        "goog:loggingPrefs": { "browser": "ALL" },
    })
}

/// Firefox's own capabilities: headless, with loopback proxied and every name on loopback.
fn firefox(browser: &str) -> Value {
    json!({
        "moz:firefoxOptions": {
            "binary": browser,
            "args": ["-headless"],
            "prefs": {
                // Firefox bypasses proxies for localhost unless told otherwise
                "network.proxy.allow_hijacking_localhost": true,
                "network.dns.localDomains": LOCAL_NAMES,
                "network.dns.forceResolve": "127.0.0.1",
                "network.trr.mode": 5,
                "network.dns.disablePrefetch": true,
                "network.http.speculative-parallel-limit": 0,
            },
        },
    })
}

/// WebKitGTK's own capabilities: the suite's browser, with its data in `profile` and its console
/// messages written there, which trusts the run's certificate for each `https://` host.
fn webkit(browser: &str, profile: &Path) -> Value {
    let certificate = tls::certificate_file().display().to_string();
    let certificates: Vec<Value> = tls::HOSTS
        .iter()
        .map(|host| json!({ "host": host, "certificateFile": certificate }))
        .collect();
    json!({
        "webkitgtk:browserOptions": {
            "binary": browser,
            "args": [
                "--automation",
                "--profile",
                profile.join("data"),
                "--console",
                webkit_console(profile),
            ],
            "certificates": certificates,
        },
    })
}

/// The file the suite's WebKitGTK browser, given `profile`, writes its console messages to.
fn webkit_console(profile: &Path) -> PathBuf {
    profile.join("console.log")
}

/// Adds the fields of `more` to the object `into`.
fn merge(into: &mut Value, more: Value) {
    if let (Value::Object(into), Value::Object(more)) = (into, more) {
        into.extend(more);
    }
}

/// A driver's own command: `POST /session/{id}/{path}` with a JSON body.
#[derive(Debug)]
struct Extension {
    /// The path after the session's.
    path: &'static str,
    /// The request's body.
    body: Value,
}

impl Extension {
    /// chromedriver's command for the console messages logged since it was last asked.
    fn browser_log() -> Self {
        Self {
            path: "se/log",
            body: json!({ "type": "browser" }),
        }
    }

    /// geckodriver's command that moves script from the page to Firefox's privileged context
    /// (`chrome`) and back (`content`); `geckodriver --allow-system-access` allows it.
    fn firefox_context(context: &str) -> Self {
        Self {
            path: "moz/context",
            body: json!({ "context": context }),
        }
    }
}

impl WebDriverCompatibleCommand for Extension {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/{}", self.path))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}
