//! The methods a policy answers for.

/// The methods a policy answers for: its handler's, granted in preflights.
#[derive(Debug)]
pub(crate) enum Methods {
    /// `*`: every method; with credentials, a preflight gets its requested method echoed.
    Any,
    /// These methods, compared case-sensitively (fetch `#concept-method`).
    List(&'static [&'static str]),
}

impl Methods {
    /// Whether these are every method (`*`).
    pub(crate) const fn is_any(&self) -> bool {
        matches!(self, Self::Any)
    }

    /// The methods as listed, or `*`.
    pub(crate) fn listed(&self) -> &'static [&'static str] {
        match self {
            Self::Any => &["*"],
            Self::List(methods) => methods,
        }
    }

    /// Whether `method` (a request's method, or a preflight's `Access-Control-Request-Method`)
    /// is one of these.
    #[inline]
    pub(crate) fn allows(&self, method: &[u8]) -> bool {
        match self {
            Self::Any => !method.is_empty(),
            Self::List(methods) => methods.iter().any(|listed| listed.as_bytes() == method),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_compare_case_sensitively() {
        let methods = Methods::List(&["GET", "PATCH"]);
        assert!(methods.allows(b"PATCH"));
        assert!(!methods.allows(b"patch"));
        assert!(!methods.allows(b"PUT"));
        assert!(Methods::Any.allows(b"PROPFIND"));
    }
}
