//! The three engines, each behind its WebDriver server: found, started and given a fresh session.
//!
//! | Engine | Browser | Driver |
//! | --- | --- | --- |
//! | Chromium | `chromium` | `chromedriver` (`chromium-driver`) |
//! | Firefox ESR | `firefox-esr` | `geckodriver` (`cargo install geckodriver`) |
//! | WebKitGTK | the suite's own (`python3-gi`, `gir1.2-webkit2-4.1`) | `WebKitWebDriver` |
//!
//! WebKitGTK's browser is `tests/browser/automation_browser.py`, since MiniBrowser's pages under
//! automation print no console message (see the crate's docs); its driver comes with
//! `webkit2gtk-driver`. WebKitGTK has no headless mode: it draws on an `Xvfb` display of its own.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use std::{env, thread};

use crate::profile::Profile;

/// How long a driver may take to start listening.
const DRIVER_START: Duration = Duration::from_secs(20);

/// A browser engine the suite runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Engine {
    /// Debian's Chromium, headless, through `chromedriver`.
    Chromium,
    /// Firefox ESR, headless, through `geckodriver`.
    Firefox,
    /// WebKitGTK, in the suite's own browser on a virtual display, through `WebKitWebDriver`.
    WebKit,
}

impl Engine {
    /// Every engine, in the order the suite runs them.
    pub(crate) const ALL: [Self; 3] = [Self::Chromium, Self::Firefox, Self::WebKit];

    /// The engine's name in reports.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Self::Chromium => "Chromium",
            Self::Firefox => "Firefox",
            Self::WebKit => "WebKit",
        }
    }

    /// The driver's executable, and where to look for it: `$VAR` or these names on the `PATH`.
    const fn driver(self) -> (&'static str, &'static [&'static str]) {
        match self {
            Self::Chromium => ("CHROMEDRIVER", &["chromedriver"]),
            Self::Firefox => ("GECKODRIVER", &["geckodriver"]),
            Self::WebKit => ("WEBKIT_WEBDRIVER", &["WebKitWebDriver"]),
        }
    }

    /// The browser's executable, and where to look for it.
    const fn browser(self) -> (&'static str, &'static [&'static str]) {
        match self {
            Self::Chromium => ("CHROMIUM", &["chromium", "chromium-browser"]),
            Self::Firefox => ("FIREFOX", &["firefox-esr", "firefox"]),
            Self::WebKit => ("WEBKIT_BROWSER", &[]),
        }
    }

    /// How to install the engine on Debian.
    const fn install(self) -> &'static str {
        match self {
            Self::Chromium => "apt-get install chromium chromium-driver",
            Self::Firefox => "apt-get install firefox-esr && cargo install geckodriver",
            Self::WebKit => "apt-get install webkit2gtk-driver gir1.2-webkit2-4.1 python3-gi xvfb",
        }
    }

    /// Finds the engine's driver and browser, unless `CORS_TEST_ENGINES` (a comma-separated
    /// list such as `chromium,firefox`) leaves the engine out.
    ///
    /// When one is missing the engine cannot say anything: under `CI=true` that fails the test;
    /// elsewhere the engine is skipped with a message written past the test harness's capture,
    /// so that a skip is never silent.
    pub(crate) fn find(self) -> Option<Installed> {
        if let Ok(chosen) = env::var("CORS_TEST_ENGINES") {
            assert!(
                !in_ci(),
                "under CI every engine runs: unset CORS_TEST_ENGINES"
            );
            let name = self.name().to_lowercase();
            if !chosen.split(',').any(|chosen| chosen.trim() == name) {
                return None;
            }
        }
        let (driver_var, drivers) = self.driver();
        let (browser_var, browsers) = self.browser();
        let driver = find(driver_var, drivers);
        let browser = if self == Self::WebKit {
            find(browser_var, &[]).or_else(automation_browser)
        } else {
            find(browser_var, browsers)
        };
        let xvfb = if self == Self::WebKit {
            find("XVFB", &["Xvfb"]).map(Some)
        } else {
            Some(None)
        };
        if let (Some(driver), Some(browser), Some(xvfb)) = (driver, browser, xvfb) {
            return Some(Installed {
                engine: self,
                driver,
                browser,
                xvfb,
            });
        }
        let missing = format!(
            "{} or its WebDriver server was not found (looked for ${driver_var}, ${browser_var} \
             and the PATH); on Debian: `{}`",
            self.name(),
            self.install()
        );
        assert!(
            !in_ci(),
            "{missing}. Under CI every engine must run, never be skipped."
        );
        let warning = format!(
            "\n*** SKIPPED in {}: {missing}. Under CI=true this is a failure. ***\n",
            self.name()
        );
        // `eprintln!` would be captured by the test harness and the skip would go unseen
        let _ = std::io::stderr().lock().write_all(warning.as_bytes());
        None
    }
}

/// Who says what a script sees of each call: an engine, or the model of a browser
/// (`cors_runtime::browser`), which every scenario is also run through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Judge {
    /// A real engine, through its WebDriver server.
    Engine(Engine),
    /// [`cors_runtime::browser::Browser`], against the API's router in-process.
    Model,
}

impl Judge {
    /// The name in reports.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Self::Engine(engine) => engine.name(),
            Self::Model => "Model",
        }
    }
}

impl From<Engine> for Judge {
    fn from(engine: Engine) -> Self {
        Self::Engine(engine)
    }
}

/// An engine found on this machine.
#[derive(Debug)]
pub(crate) struct Installed {
    /// Which engine.
    pub(crate) engine: Engine,
    /// Its WebDriver server.
    driver: PathBuf,
    /// The browser the server starts.
    pub(crate) browser: PathBuf,
    /// The virtual display server, for WebKitGTK.
    xvfb: Option<PathBuf>,
}

/// A running WebDriver server, with everything it and its browsers wrote; stopped when dropped.
pub(crate) struct Driver {
    /// The server's process.
    child: Child,
    /// The virtual display it draws on, if it needs one.
    display: Option<Child>,
    /// Where it listens.
    pub(crate) url: String,
    /// What the server and its browsers wrote to stdout and stderr so far.
    output: Arc<Mutex<String>>,
    /// The profile directory of the session, for Chromium.
    pub(crate) profile: Profile,
}

impl Installed {
    /// Starts the driver on a free loopback port and waits until it listens.
    pub(crate) fn start(&self) -> Driver {
        let port = free_port();
        let mut command = Command::new(&self.driver);
        let display = self.xvfb.as_ref().map(|xvfb| {
            let (display, name) = start_display(xvfb);
            command.env("DISPLAY", name);
            display
        });
        match self.engine {
            Engine::Chromium | Engine::WebKit => command.arg(format!("--port={port}")),
            Engine::Firefox => command.args([
                "--port",
                &port.to_string(),
                "--host",
                "127.0.0.1",
                "--allow-system-access",
            ]),
        };
        // a group of its own, so that the browsers it starts go when it goes, even when a test
        // fails before it could close its session
        let mut child = command
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", self.driver.display()));
        let output = Arc::<Mutex<String>>::default();
        collect(child.stdout.take(), &output);
        collect(child.stderr.take(), &output);
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let deadline = Instant::now() + DRIVER_START;
        while TcpStream::connect(address).is_err() {
            assert!(
                Instant::now() < deadline,
                "{} did not listen within {DRIVER_START:?}",
                self.driver.display()
            );
            thread::sleep(Duration::from_millis(20));
        }
        Driver {
            child,
            display,
            url: format!("http://{address}"),
            output,
            profile: Profile::new(self.engine.name()),
        }
    }
}

impl Driver {
    /// Everything the driver and its browsers wrote so far.
    pub(crate) fn output(&self) -> String {
        self.output
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // the driver's group: the driver and the browsers it started
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(display) = &mut self.display {
            let _ = display.kill();
            let _ = display.wait();
        }
    }
}

/// Starts `Xvfb` on a display number it picks itself, and returns it with the display's name.
fn start_display(xvfb: &Path) -> (Child, String) {
    let mut child = Command::new(xvfb)
        // `-displayfd 1`: pick a free display and write its number to stdout
        .args([
            "-displayfd",
            "1",
            "-nolisten",
            "tcp",
            "-screen",
            "0",
            "1024x768x24",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {}: {error}", xvfb.display()));
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("Xvfb's stdout"))
        .read_line(&mut line)
        .expect("Xvfb's display number");
    let number = line.trim();
    assert!(!number.is_empty(), "Xvfb did not start");
    let name = format!(":{number}");
    (child, name)
}

/// `$var`, or the first of `names` on the `PATH`.
fn find(var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = env::var_os(var) {
        return Some(PathBuf::from(path)).filter(|path| path.is_file());
    }
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// The suite's own WebKitGTK browser, if its Python finds WebKitGTK's bindings.
fn automation_browser() -> Option<PathBuf> {
    let browser = Path::new(env!("CARGO_MANIFEST_DIR")).join("browser/automation_browser.py");
    Command::new(&browser)
        .arg("--check")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
        .then_some(browser)
}

/// Whether this run is CI's, where a missing engine is a failure: `CI` set to anything but
/// empty, `0` or `false`.
fn in_ci() -> bool {
    env::var("CI").is_ok_and(|value| !matches!(value.as_str(), "" | "0" | "false"))
}

/// A loopback port nothing listens on right now.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

/// Appends what `pipe` carries to `output`, on another thread, so that the driver never blocks
/// on a full pipe.
fn collect(pipe: Option<impl Read + Send + 'static>, output: &Arc<Mutex<String>>) {
    let output = Arc::clone(output);
    let pipe = pipe.expect("a piped stream");
    thread::spawn(move || {
        let mut pipe = BufReader::new(pipe);
        let mut line = Vec::new();
        while pipe.read_until(b'\n', &mut line).is_ok_and(|read| read > 0) {
            let mut output = output.lock().unwrap_or_else(PoisonError::into_inner);
            output.push_str(&String::from_utf8_lossy(&line));
            line.clear();
        }
    });
}
