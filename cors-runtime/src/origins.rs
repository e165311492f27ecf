//! Sets of origins that change while the application runs: `#[cors(origins = TENANTS)]` with
//! `static TENANTS: Origins = Origins::new();`, refilled with [`Origins::replace`].
//!
//! A set is an atomically swapped pointer (`arc-swap`) to origins checked and laid out by
//! [`replace`](Origins::replace), off the request path. A request loads the pointer once, without
//! a lock and without allocating, and looks its `Origin` up in what it loaded: it sees the old
//! origins or the new ones, never some of each.
//!
//! Which handlers use a set is known at link time, from the registrations the audit reads, so
//! every `replace`, the first one included, is checked against each of their policies.

use std::fmt;
use std::sync::Arc;

use arc_swap::ArcSwapOption;
use cors_rules::config::check_origins;
use http::HeaderValue;

use crate::env::{self, Problems};
use crate::route::Registration;
use crate::startup::{self, Lookup};
use crate::{Handler, Policy, Refusal};

/// A set of allowed origins that changes while the application runs, shared by the handlers
/// that name it in [`origins = SET`](crate::cors): customers' domains kept in a database,
/// origins read from a configuration service.
///
/// ```
/// use cors_runtime::{cors, Origins};
///
/// /// Customer domains, filled at startup and refreshed while the app runs.
/// static TENANTS: Origins = Origins::new();
///
/// #[cors(origins = TENANTS, credentials, methods = [GET, POST], headers = ["content-type"])]
/// async fn orders() -> &'static str { "orders" }
///
/// # fn main() -> Result<(), cors_runtime::OriginsError> {
/// TENANTS.replace(["https://acme.example.com", "https://*.shop.example"])?;
/// assert!(TENANTS.allows("https://eu.shop.example"));
///
/// // `orders` allows `credentials`, so a plain `http://` origin is refused, and nothing changes
/// let error = TENANTS.replace(["https://new.example.com", "http://old.example.com"]).unwrap_err();
/// assert!(error.to_string().contains("`http://old.example.com`: a plain `http://` origin"));
/// assert!(!TENANTS.allows("https://new.example.com"));
/// # Ok(())
/// # }
/// ```
///
/// A new set allows nothing until it is first filled.
#[derive(Debug)]
pub struct Origins {
    /// The origins, checked and laid out; `None` until the first `replace`.
    current: ArcSwapOption<Lookup>,
}

impl Origins {
    /// An empty set, which allows no origin until [`replace`](Self::replace) fills it.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            current: ArcSwapOption::const_empty(),
        }
    }

    /// Replaces the origins of the set with `entries`, from the next request on.
    ///
    /// Each entry is checked with the rules and messages of an origin written in `#[cors]`, and
    /// against the policy of every handler that uses the set: if one allows `credentials`, `*`
    /// and wildcards over a public suffix are refused, and so are plain `http://` origins other
    /// than loopback unless that policy says `insecure_http`. The work (checks, tables) is done
    /// here, in the caller's thread; an empty list empties the set.
    ///
    /// # Errors
    /// When any entry is wrong: the error names each wrong entry with its fix, and the set keeps
    /// the origins it had.
    pub fn replace<I>(&self, entries: I) -> Result<(), OriginsError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let entries: Vec<I::Item> = entries.into_iter().collect();
        let texts: Vec<&str> = entries.iter().map(AsRef::as_ref).collect();
        let users = self.users();
        let next = if texts.is_empty() {
            None
        } else {
            let strictest = users.iter().max_by_key(|user| user.strictness()).copied();
            let (credentials, insecure_http) = strictest.map_or((false, false), |user| {
                (user.credentials, user.insecure_http)
            });
            // `csrf` refuses `*` too, whoever else uses the set
            let csrf = users.iter().any(|user| user.csrf);
            let checked =
                check_origins(&texts, credentials, insecure_http, csrf).map_err(|problems| {
                    OriginsError {
                        strictest,
                        problems: env::describe(&texts, problems),
                    }
                })?;
            Some(Arc::new(startup::lookup(checked)))
        };
        retire(self.current.swap(next));
        Ok(())
    }

    /// Whether the set allows `origin`, a serialized origin as browsers send it in `Origin`.
    #[must_use]
    pub fn allows(&self, origin: &str) -> bool {
        self.current
            .load()
            .as_deref()
            .is_some_and(|lookup| lookup.allows(origin.as_bytes()))
    }

    /// The origins and patterns the set holds now, as configured, all from one version of it.
    #[must_use]
    pub fn entries(&self) -> Vec<String> {
        self.current
            .load()
            .as_deref()
            .map(Lookup::texts)
            .unwrap_or_default()
    }

    /// Checks a request's `Origin` against the set as it is now: one load, no lock, nothing
    /// allocated.
    pub(crate) fn check<'r>(
        &self,
        origin: &'r HeaderValue,
    ) -> Result<crate::AllowOrigin<'r>, Refusal<'r>> {
        match self.current.load().as_deref() {
            Some(lookup) => lookup.check(origin),
            None => Err(Refusal::OriginNotAllowed(origin)),
        }
    }

    /// The handlers linked into the binary whose policy uses this set, and the named policies
    /// that do (under their own name), whether a handler names them or not.
    pub(crate) fn users(&self) -> Vec<User> {
        let handlers = inventory::iter::<Registration>
            .into_iter()
            .filter_map(|declaration| Some((declaration.constant()?, declaration.handler())));
        let named = inventory::iter::<NamedUse>
            .into_iter()
            .map(|named| (named.policy, named.handler));
        handlers
            .chain(named)
            .filter_map(|(policy, handler)| {
                let (set, name, insecure_http) = policy.origins.set_used()?;
                std::ptr::eq(set, self).then_some(User {
                    handler,
                    name,
                    credentials: policy.rules.credentials,
                    insecure_http,
                    csrf: policy.rules.csrf,
                })
            })
            .collect()
    }
}

impl Default for Origins {
    fn default() -> Self {
        Self::new()
    }
}

/// Drops the origins a set held, here rather than in a request: a request that loaded them just
/// before the swap is done with them within microseconds, after which this thread frees them.
fn retire(old: Option<Arc<Lookup>>) {
    let Some(old) = old else { return };
    for _ in 0..1_000 {
        if Arc::strong_count(&old) == 1 {
            return;
        }
        std::thread::yield_now();
    }
}

/// A policy declared with `cors_policy!` whose origins are a set, as its expansion registers it:
/// the set checks its entries against the policy even when no handler names it and a layer is
/// made from the policy directly.
#[derive(Debug)]
pub struct NamedUse {
    policy: &'static Policy,
    handler: &'static Handler,
}

impl NamedUse {
    /// The named policy `policy`, declared where `handler` says.
    #[must_use]
    pub const fn new(policy: &'static Policy, handler: &'static Handler) -> Self {
        Self { policy, handler }
    }
}

inventory::collect!(NamedUse);

/// A handler whose policy uses a set, under the name its attribute gives the set.
#[derive(Clone, Copy, Debug)]
pub(crate) struct User {
    /// The handler.
    pub(crate) handler: &'static Handler,
    /// The set's name as the attribute writes it (`TENANTS`).
    pub(crate) name: &'static str,
    /// Whether its policy allows `credentials`.
    credentials: bool,
    /// Whether its policy says `insecure_http`.
    insecure_http: bool,
    /// Whether its policy says `csrf`.
    csrf: bool,
}

impl User {
    /// How much the policy asks of the set's entries. Credentials without `insecure_http` refuse
    /// everything credentials with it refuse, which refuse everything no credentials refuse: the
    /// strictest user's check is every user's.
    fn strictness(&self) -> u8 {
        match (self.credentials, self.insecure_http) {
            (false, _) => 0,
            (true, true) => 1,
            (true, false) => 2,
        }
    }
}

/// Why [`Origins::replace`] refused a list: each wrong entry and its fix, in the words of the
/// compile errors of `#[cors]`. The set kept the origins it had.
#[derive(Debug)]
pub struct OriginsError {
    /// The handler whose policy the entries were checked against, when one uses the set.
    strictest: Option<User>,
    problems: Problems,
}

impl fmt::Display for OriginsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(user) = self.strictest else {
            f.write_str("the origins given to a set have mistakes:")?;
            return env::write_problems(f, &self.problems);
        };
        write!(f, "the origins given to `{}` have mistakes", user.name)?;
        if user.credentials {
            let handler = user.handler;
            write!(
                f,
                " (checked for `{}` at {}:{}, which allows `credentials`{})",
                handler.name(),
                handler.file(),
                handler.line(),
                if user.insecure_http {
                    " with `insecure_http`"
                } else {
                    ""
                }
            )?;
        }
        f.write_str(":")?;
        env::write_problems(f, &self.problems)
    }
}

impl std::error::Error for OriginsError {}
