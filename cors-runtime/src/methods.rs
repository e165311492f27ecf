//! The methods a policy answers for.

/// The methods a policy answers for: its handler's, granted in preflights.
#[derive(Debug)]
pub enum Methods {
    /// `*`: every method, never with credentials.
    Any,
    /// These methods, compared case-sensitively (fetch `#concept-method`).
    List(&'static [&'static str]),
}

impl Methods {
    /// Whether `method` (a request's method, or a preflight's `Access-Control-Request-Method`)
    /// is one of these.
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
