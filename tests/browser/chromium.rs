//! Debian's Chromium, found and run headless on one page.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};
use std::{env, fs, process, thread};

/// How long one run of Chromium may take. A page waits for every `fetch` it makes, so a server
/// that never answers would hang the test without this bound.
const TIMEOUT: Duration = Duration::from_mins(1);

/// How long the pipes of a finished Chromium may stay open (its helper processes close them a
/// moment after it exits).
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Virtual milliseconds Chromium lets the page run before it dumps the DOM. Virtual time stands
/// still while a request is in flight, so this bounds only timers, of which the pages have none.
const VIRTUAL_TIME_BUDGET_MS: u32 = 10_000;

/// Whether the skip of the browser tests was announced: once is loud enough.
static WARNED: Once = Once::new();

/// A Chromium binary.
pub(crate) struct Chromium {
    /// Where it is.
    path: PathBuf,
}

/// What Chromium left behind after loading a page.
pub(crate) struct Dump {
    /// The page's DOM, serialized once the page went idle.
    pub(crate) dom: String,
    /// Chromium's log, console messages included.
    pub(crate) log: String,
}

impl Chromium {
    /// `$CHROMIUM`, or `chromium` or `chromium-browser` on the `PATH`.
    ///
    /// When there is none, the browser tests cannot say anything: under `CI=true` that fails the
    /// test; elsewhere the test is skipped with a message written past the test harness's capture,
    /// so that a skip is never silent.
    pub(crate) fn find() -> Option<Self> {
        let found = env::var_os("CHROMIUM").map(PathBuf::from).or_else(|| {
            let path = env::var_os("PATH")?;
            env::split_paths(&path)
                .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
                .find(|candidate| candidate.is_file())
        });
        if let Some(path) = found {
            return Some(Self { path });
        }
        let missing = "Chromium was not found (looked for $CHROMIUM, then `chromium` and \
                       `chromium-browser` on the PATH); on Debian: `apt-get install chromium`";
        assert!(
            !in_ci(),
            "{missing}. Under CI the browser tests must run, never be skipped."
        );
        WARNED.call_once(|| {
            let warning = format!(
                "\n\n*** SKIPPED: the browser tests pass without running. {missing}. \
                 Under CI=true this is a failure. ***\n\n"
            );
            // `eprintln!` would be captured by the test harness and the skip would go unseen
            let _ = std::io::stderr().lock().write_all(warning.as_bytes());
        });
        None
    }

    /// Loads `url` in a fresh profile, with `host_rules` as `--host-resolver-rules`, and returns
    /// the DOM once the page is idle, with the log.
    ///
    /// # Panics
    /// When Chromium cannot start, fails, or takes longer than [`TIMEOUT`].
    pub(crate) fn dump_dom(&self, url: &str, host_rules: &str) -> Dump {
        let profile = Profile::new();
        let mut child = Command::new(&self.path)
            .args([
                "--headless",
                // the sandbox needs user namespaces or a setuid helper, which containers and root
                // lack; the pages are the tests' own
                "--no-sandbox",
                "--disable-gpu",
                // the network is loopback only: whatever Chromium fetches for itself would only
                // make refused connections, and slow every run
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                // console messages, CORS errors among them, go to stderr
                "--enable-logging=stderr",
                "--v=0",
                &format!("--user-data-dir={}", profile.0.display()),
                &format!("--host-resolver-rules={host_rules}"),
                &format!("--virtual-time-budget={VIRTUAL_TIME_BUDGET_MS}"),
                "--dump-dom",
                url,
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", self.path.display()));
        let dom = read_to_end(child.stdout.take());
        let log = read_to_end(child.stderr.take());
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = child.try_wait().expect("Chromium's status") {
                break Some(status);
            }
            if Instant::now() >= deadline {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            thread::sleep(Duration::from_millis(20));
        };
        let dom = dom.recv_timeout(DRAIN_TIMEOUT).unwrap_or_default();
        let log = log.recv_timeout(DRAIN_TIMEOUT).unwrap_or_default();
        match status {
            None => panic!("Chromium did not finish {url} within {TIMEOUT:?}; its log:\n{log}"),
            Some(status) if !status.success() => {
                panic!("Chromium failed on {url} ({status}); its log:\n{log}")
            }
            Some(_) => Dump { dom, log },
        }
    }
}

impl Dump {
    /// The reason Chromium logged for blocking a `fetch` of `url`, if it did: the text after
    /// `has been blocked by CORS policy: `.
    pub(crate) fn cors_error(&self, url: &str) -> Option<&str> {
        let start = format!("Access to fetch at '{url}' from origin '");
        let (_, rest) = self.log.split_once(&start)?;
        let (_, reason) = rest.split_once("' has been blocked by CORS policy: ")?;
        let end = reason.find(['\n', '"']).unwrap_or(reason.len());
        Some(&reason[..end])
    }

    /// The text of the element with this `id`, unescaped, if the DOM has it.
    pub(crate) fn text_of(&self, id: &str) -> Option<String> {
        let start = format!("id=\"{id}\">");
        let (_, rest) = self.dom.split_once(&start)?;
        let (text, _) = rest.split_once('<')?;
        Some(
            text.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&nbsp;", "\u{a0}")
                .replace("&amp;", "&"),
        )
    }
}

/// Whether this run is CI's, where a missing browser is a failure: `CI` set to anything but
/// empty, `0` or `false`.
fn in_ci() -> bool {
    env::var("CI").is_ok_and(|value| !matches!(value.as_str(), "" | "0" | "false"))
}

/// Reads a pipe to its end on another thread, so that Chromium never blocks on a full pipe.
fn read_to_end(pipe: Option<impl Read + Send + 'static>) -> Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    let mut pipe = pipe.expect("a piped stream");
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        let _ = sender.send(String::from_utf8_lossy(&bytes).into_owned());
    });
    receiver
}

/// A fresh, empty Chromium profile directory, removed when dropped.
struct Profile(PathBuf);

impl Profile {
    /// Creates a directory no other run uses, in this process or another.
    fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = env::temp_dir().join(format!(
            "cors-suite-chromium-{}-{}",
            process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("a temporary profile directory");
        Self(path)
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
