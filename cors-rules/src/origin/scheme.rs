//! The schemes an allowed origin can have, each with the host it takes: the web's `http` and
//! `https`, and the schemes that app webviews and browser extensions send as the `Origin` of
//! their pages.
//!
//! The URL standard gives a non-special scheme an opaque origin, serialized `null`; but an engine
//! that registers a scheme as standard gives its pages a tuple origin, which it sends and checks
//! CORS for like any other. Chromium does so for `chrome-extension:`, Firefox for
//! `moz-extension:`, Safari for `safari-web-extension:`, the iOS and Android webviews for the
//! scheme an app registers a handler for (`capacitor:`, `ionic:`, `app:`, `tauri:`), and VS Code
//! for `vscode-webview:`. Every other scheme sends `null`, or no request at all.

/// The schemes an allowed origin can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `http`, default port 80.
    Http,
    /// `https`, default port 443.
    Https,
    /// `capacitor`: Capacitor apps on iOS (`capacitor://localhost`).
    Capacitor,
    /// `ionic`: Ionic apps on iOS whose `iosScheme` is `ionic` (`ionic://localhost`).
    Ionic,
    /// `app`: Cordova iOS 6 and later (`app://localhost`), and Electron apps that register it.
    App,
    /// `tauri`: Tauri apps on macOS and Linux (`tauri://localhost`).
    Tauri,
    /// `chrome-extension`: Chromium extensions, Edge's and Opera's included.
    ChromeExtension,
    /// `moz-extension`: Firefox extensions, under a per-install UUID.
    MozExtension,
    /// `safari-web-extension`: Safari extensions, under a per-install UUID.
    SafariWebExtension,
    /// `vscode-webview`: VS Code webviews.
    VscodeWebview,
}

/// What the host of an origin of a scheme looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostRule {
    /// A domain name, IPv4 or bracketed IPv6 address, with wildcards and default port
    /// (`http`, `https`).
    Web,
    /// A domain name, usually `localhost`, with an optional port (app webviews).
    Name,
    /// A Chromium extension id: 32 letters `a` to `p`, no port.
    ExtensionId,
    /// A UUID in lowercase `8-4-4-4-12` form, no port.
    Uuid,
    /// A VS Code webview id: one label of lowercase letters, digits and `-`, no port.
    WebviewId,
}

impl Scheme {
    /// Every scheme an allowed origin can have.
    pub const ALL: [Self; 10] = [
        Self::Https,
        Self::Http,
        Self::Capacitor,
        Self::Ionic,
        Self::App,
        Self::Tauri,
        Self::ChromeExtension,
        Self::MozExtension,
        Self::SafariWebExtension,
        Self::VscodeWebview,
    ];

    /// The scheme as written in an origin, without `://`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        let prefix = self.prefix().as_bytes();
        let (name, _) = prefix.split_at(prefix.len() - "://".len());
        match std::str::from_utf8(name) {
            Ok(name) => name,
            Err(_) => unreachable!(),
        }
    }

    /// The scheme with its `://`, as a serialized origin starts.
    #[must_use]
    pub const fn prefix(self) -> &'static str {
        match self {
            Self::Http => "http://",
            Self::Https => "https://",
            Self::Capacitor => "capacitor://",
            Self::Ionic => "ionic://",
            Self::App => "app://",
            Self::Tauri => "tauri://",
            Self::ChromeExtension => "chrome-extension://",
            Self::MozExtension => "moz-extension://",
            Self::SafariWebExtension => "safari-web-extension://",
            Self::VscodeWebview => "vscode-webview://",
        }
    }

    /// What the host of this scheme's origins looks like.
    #[must_use]
    pub const fn host_rule(self) -> HostRule {
        match self {
            Self::Http | Self::Https => HostRule::Web,
            Self::Capacitor | Self::Ionic | Self::App | Self::Tauri => HostRule::Name,
            Self::ChromeExtension => HostRule::ExtensionId,
            Self::MozExtension | Self::SafariWebExtension => HostRule::Uuid,
            Self::VscodeWebview => HostRule::WebviewId,
        }
    }

    /// Whether this is `http` or `https`, the schemes with default ports, IP hosts and patterns.
    #[must_use]
    pub const fn is_web(self) -> bool {
        matches!(self.host_rule(), HostRule::Web)
    }

    /// The port browsers leave out of the serialized origin; only `http` and `https` have one.
    #[must_use]
    pub const fn default_port(self) -> Option<u16> {
        match self {
            Self::Http => Some(80),
            Self::Https => Some(443),
            _ => None,
        }
    }

    /// What the pages of this scheme are, for messages: `extension`, `app`, `webview`.
    #[must_use]
    pub const fn kind(self) -> &'static str {
        match self.host_rule() {
            HostRule::Web => "site",
            HostRule::Name => "app",
            HostRule::ExtensionId | HostRule::Uuid => "extension",
            HostRule::WebviewId => "webview",
        }
    }

    /// An origin of this scheme, as an example in messages.
    #[must_use]
    pub const fn example(self) -> &'static str {
        match self {
            Self::Http => "http://localhost:3000",
            Self::Https => "https://app.example.com",
            Self::Capacitor => "capacitor://localhost",
            Self::Ionic => "ionic://localhost",
            Self::App => "app://localhost",
            Self::Tauri => "tauri://localhost",
            Self::ChromeExtension => "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
            Self::MozExtension => "moz-extension://0b4c5a3e-6f1d-4c2b-9a8e-7d6f5e4c3b2a",
            Self::SafariWebExtension => {
                "safari-web-extension://0b4c5a3e-6f1d-4c2b-9a8e-7d6f5e4c3b2a"
            }
            Self::VscodeWebview => {
                "vscode-webview://1ipefr3mb7nqtbqlhvb7v1p4fafmbghuib1mrs3pvc01ui1"
            }
        }
    }

    /// The scheme spelled exactly `name` (lowercase, without `://`), if it is one.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scheme| scheme.as_str() == name)
    }

    /// The scheme `origin` starts with, and the rest of it after `://`.
    #[must_use]
    pub fn split(origin: &[u8]) -> Option<(Self, &[u8])> {
        Self::ALL.into_iter().find_map(|scheme| {
            let rest = origin.strip_prefix(scheme.prefix().as_bytes())?;
            Some((scheme, rest))
        })
    }

    /// The names of every scheme, in backticks and joined by `, `, for messages.
    #[must_use]
    pub fn names() -> String {
        let names: Vec<String> = Self::ALL
            .iter()
            .map(|scheme| format!("`{}`", scheme.as_str()))
            .collect();
        names.join(", ")
    }

    /// The longest `scheme://` of all.
    pub(super) const fn longest_prefix() -> usize {
        let mut longest = 0;
        let mut at = 0;
        while at < Self::ALL.len() {
            let len = Self::ALL[at].prefix().len();
            if len > longest {
                longest = len;
            }
            at += 1;
        }
        longest
    }
}

impl HostRule {
    /// Checks the host of an origin whose scheme takes an id (`ExtensionId`, `Uuid`,
    /// `WebviewId`), saying what it should look like when it does not.
    ///
    /// # Errors
    /// A message in rustc's voice, when `host` does not have the id's shape.
    pub(super) fn check_id(self, scheme: Scheme, host: &str) -> Result<(), String> {
        let (fits, shape) = match self {
            Self::Web | Self::Name => return Ok(()),
            Self::ExtensionId => (
                host.len() == 32 && host.bytes().all(|b| matches!(b, b'a'..=b'p')),
                "an extension id is the 32 letters `a` to `p` that `chrome://extensions` shows",
            ),
            Self::Uuid => (
                is_lowercase_uuid(host),
                "the host is the extension's per-install UUID in lowercase `8-4-4-4-12` form, as the browser sends it",
            ),
            Self::WebviewId => (
                !host.is_empty()
                    && host.len() <= super::MAX_LABEL_LEN
                    && host
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "a webview id is one label of lowercase letters, digits and `-`",
            ),
        };
        if fits {
            return Ok(());
        }
        let lower = host.to_ascii_lowercase();
        if lower != host && self.check_id(scheme, &lower).is_ok() {
            return Err(format!(
                "the host must be lowercase, as browsers send it; write `\"{}{lower}\"`",
                scheme.prefix()
            ));
        }
        Err(format!(
            "`{host}` is not a `{}:` host: {shape}; write an origin such as `\"{}\"`",
            scheme.as_str(),
            scheme.example()
        ))
    }
}

/// Whether `text` is a UUID in lowercase hyphenated form: `8-4-4-4-12` hex digits.
fn is_lowercase_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(group, len)| {
            group.len() == len
                && group
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'a'..=b'f'))
        })
}

#[cfg(test)]
mod tests {
    use super::super::{AllowedOrigin, parse};

    #[track_caller]
    fn refused(text: &str, needle: &str) {
        let message = parse(text).expect_err(text);
        assert!(message.contains(needle), "{text}: {message}");
    }

    #[test]
    fn app_and_extension_origins_are_kept_as_written() {
        for text in [
            "capacitor://localhost",
            "ionic://localhost",
            "app://localhost",
            "tauri://localhost",
            "capacitor://app.example.com:8100",
            "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
            "moz-extension://0b4c5a3e-6f1d-4c2b-9a8e-7d6f5e4c3b2a",
            "safari-web-extension://dcea6524-ab56-4469-895f-d4f4e84f139e",
            "vscode-webview://1ipefr3mb7nqtbqlhvb7v1p4fafmbghuib1mrs3pvc01ui1",
        ] {
            assert_eq!(parse(text), Ok(AllowedOrigin::Exact(text.to_owned())));
        }
    }

    #[test]
    fn app_and_extension_hosts_are_checked_by_their_scheme() {
        refused("chrome-extension://*", "would allow every extension");
        refused("moz-extension://*", "anyone can publish one");
        refused("capacitor://*.example.com", "would allow every app");
        refused(
            "chrome-extension://abcdefghijklmnopq",
            "32 letters `a` to `p`",
        );
        refused(
            "chrome-extension://abcdefghijklmnopabcdefghijklmnoz",
            "`a` to `p`",
        );
        refused(
            "chrome-extension://ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP",
            "write `\"chrome-extension://abcdefghijklmnopabcdefghijklmnop\"`",
        );
        refused("moz-extension://my-addon.example.com", "`8-4-4-4-12`");
        refused(
            "safari-web-extension://DCEA6524-AB56-4469-895F-D4F4E84F139E",
            "must be lowercase",
        );
        refused(
            "chrome-extension://abcdefghijklmnopabcdefghijklmnop:8080",
            "has no port",
        );
        refused("vscode-webview://a.b", "one label");
        refused("capacitor://Localhost", "write `\"capacitor://localhost\"`");
        refused("Capacitor://localhost", "write `\"capacitor://localhost\"`");
        refused("tauri://localhost/", "must not end with `/`");
        refused("ionic://localhost/index.html", "must not have a path");
    }

    #[test]
    fn schemes_without_an_origin_say_what_browsers_send() {
        refused("file:///tmp/index.html", "`Origin: null`");
        refused("data:text/html,hi", "`Origin: null`");
        refused("about:blank", "origin of the page that created them");
        refused("javascript:alert(1)", "that page's origin");
        refused(
            "blob:https://app.example.com/0b4c5a3e",
            "list the creator's origin, `\"https://app.example.com\"`",
        );
        refused("ftp://example.com", "no longer load `ftp:` pages");
        refused(
            "ws://example.com",
            "an origin's scheme is one of `https`, `http`",
        );
    }

    #[test]
    fn only_web_schemes_have_default_ports() {
        assert_eq!(super::Scheme::Https.default_port(), Some(443));
        assert_eq!(super::Scheme::Capacitor.default_port(), None);
        assert_eq!(parse("capacitor://localhost:443").map(|_| ()), Ok(()));
    }
}
