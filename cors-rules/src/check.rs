//! The rules that look at several arguments at once: `*` origins, exposed `*` and public-suffix
//! wildcards with `credentials`, `*` origins with `csrf`, insecure origins with `credentials`,
//! flags that mean nothing.

use crate::config::Config;
use crate::origin::{AllowedOrigin, HostPattern, OriginPattern, Scheme};
use crate::public_suffix::is_public_suffix;
use crate::{Problem, Site};

/// `*` among the origins stands alone, and never with credentials or `csrf`.
pub(crate) fn any_origin(
    parsed: &[(usize, AllowedOrigin)],
    count: usize,
    flags: Flags,
    problems: &mut Vec<Problem>,
) {
    let Some(&(star, _)) = parsed.iter().find(|(_, o)| *o == AllowedOrigin::Any) else {
        return;
    };
    if count > 1 {
        problems.push(Problem::at(
            Site::Origin(star),
            "`\"*\"` allows every origin, so the other entries mean nothing; keep `\"*\"` alone or remove it",
        ));
    }
    if flags.credentials {
        problems.push(Problem::between(
            Site::Origin(star),
            Site::Credentials,
            "`*` cannot be combined with `credentials`: browsers refuse `Access-Control-Allow-Origin: *` on requests with credentials; list the origins that may send credentials, or remove `credentials`",
        ));
    }
    // cross-origin protection lets through the origins the policy allows: all of them
    if flags.csrf {
        problems.push(Problem::between(
            Site::Origin(star),
            Site::Csrf,
            "`csrf` with `*` would trust every origin; list the origins whose pages may write, or remove `csrf`",
        ));
    }
}

/// The flags that bear on the origins.
#[derive(Clone, Copy)]
pub(crate) struct Flags {
    /// `credentials`.
    pub(crate) credentials: bool,
    /// `insecure_http`.
    pub(crate) insecure_http: bool,
    /// `csrf`.
    pub(crate) csrf: bool,
}

/// Checks that the flags mean something: `insecure_http` needs `credentials` and, when the
/// origins are known, an origin that needs it.
pub(crate) fn flags(
    config: &Config<'_>,
    needs_insecure: Option<bool>,
    problems: &mut Vec<Problem>,
) {
    if !config.insecure_http {
        return;
    }
    if !config.credentials {
        problems.push(Problem::at(
            Site::InsecureHttp,
            "`insecure_http` only matters together with `credentials`; remove it",
        ));
    } else if needs_insecure == Some(false) {
        problems.push(Problem::at(
            Site::InsecureHttp,
            "no origin needs `insecure_http`: it only permits non-loopback `http://` origins with `credentials`; remove it",
        ));
    }
}

/// Checks origins that will receive credentials; says whether one needs `insecure_http`.
pub(crate) fn credentialed_origins(
    parsed: &[(usize, AllowedOrigin)],
    insecure_http: bool,
    problems: &mut Vec<Problem>,
) -> bool {
    let mut needs_insecure = false;
    for (index, origin) in parsed {
        if let AllowedOrigin::Pattern(OriginPattern {
            scheme,
            host: HostPattern::Subdomains(domain),
            ..
        }) = origin
            && is_public_suffix(domain)
        {
            problems.push(Problem::between(
                Site::Origin(*index),
                Site::Credentials,
                format!(
                    "`*.{domain}` would let anyone who registers a name under the public suffix `{domain}` read responses with credentials; narrow it to a domain you own, as in `\"{}://*.example.{domain}\"`, or remove `credentials`",
                    scheme.as_str()
                ),
            ));
        }
        if origin.scheme() == Some(Scheme::Http) && !origin.is_loopback() {
            needs_insecure = true;
            if !insecure_http {
                problems.push(Problem::between(
                    Site::Origin(*index),
                    Site::Credentials,
                    "a plain `http://` origin with `credentials` lets anyone on the network read the user's data; use `https://`, or add `insecure_http` if this is deliberate",
                ));
            }
        }
    }
    needs_insecure
}

/// A `"*"` in a list of methods or header names.
pub(crate) struct Star<'a> {
    /// Where it is.
    pub(crate) site: Site,
    /// How many entries beside it mean nothing, since it covers them.
    pub(crate) others: usize,
    /// What the list holds, for messages.
    pub(crate) noun: &'a str,
    /// What may stand beside it anyway, for messages.
    pub(crate) only: &'a str,
}

impl Star<'_> {
    /// A `"*"` stands alone.
    ///
    /// With `credentials`, `*` among the methods or request headers is served by echoing what the
    /// preflight asks for, so it is allowed; among the exposed headers it is not (see
    /// [`exposed_star_with_credentials`]).
    pub(crate) fn check(&self, problems: &mut Vec<Problem>) {
        let Self {
            site,
            others,
            noun,
            only,
        } = *self;
        if others > 0 {
            problems.push(Problem::at(
                site,
                format!("`\"*\"` already covers every {noun}, so the other entries mean nothing{only}; keep `\"*\"` alone or remove it"),
            ));
        }
    }
}

/// `expose = ["*"]` with `credentials`: browsers read it as the literal name `*`, and no request
/// header says which names a script will read, so there is nothing to echo in its place.
pub(crate) fn exposed_star_with_credentials(site: Site, problems: &mut Vec<Problem>) {
    problems.push(Problem::between(
        site,
        Site::Credentials,
        "`*` cannot be combined with `credentials` in `expose`: on requests with credentials browsers read it as the literal name `*`, and no request says which headers a script will read, so there is nothing to echo in its place; list the names, as in `expose = [\"x-request-id\"]`, or remove `credentials`",
    ));
}
