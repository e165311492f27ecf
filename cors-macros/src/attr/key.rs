//! The keys `#[cors(...)]` accepts, with the words messages use about them.

/// The keys `#[cors(...)]` accepts, in the order the documentation lists them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    Origins,
    Credentials,
    InsecureHttp,
    Csrf,
    Methods,
    Headers,
    Expose,
    MaxAge,
    Policy,
}

impl Key {
    pub(super) const ALL: [Self; 9] = [
        Self::Origins,
        Self::Credentials,
        Self::InsecureHttp,
        Self::Csrf,
        Self::Methods,
        Self::Headers,
        Self::Expose,
        Self::MaxAge,
        Self::Policy,
    ];

    pub(super) const fn name(self) -> &'static str {
        match self {
            Self::Policy => "policy",
            Self::Origins => "origins",
            Self::Credentials => "credentials",
            Self::InsecureHttp => "insecure_http",
            Self::Csrf => "csrf",
            Self::Methods => "methods",
            Self::Headers => "headers",
            Self::Expose => "expose",
            Self::MaxAge => "max_age",
        }
    }

    /// How the argument is written, for messages that show the fix.
    pub(super) const fn example(self) -> &'static str {
        match self {
            Self::Policy => "policy = FRONTEND",
            Self::Origins => r#"origins = ["https://app.example.com"]"#,
            Self::Credentials => "credentials",
            Self::InsecureHttp => "insecure_http",
            Self::Csrf => "csrf",
            Self::Methods => "methods = [GET, POST]",
            Self::Headers => r#"headers = ["content-type"]"#,
            Self::Expose => r#"expose = ["x-request-id"]"#,
            Self::MaxAge => "max_age = 600",
        }
    }

    /// What one entry of the list is, for "expected ..." messages.
    pub(super) const fn entry(self) -> &'static str {
        match self {
            Self::Origins => r#"an origin as a string literal, as in `"https://app.example.com"`"#,
            Self::Methods => r#"a method name, as in `GET` or `"PROPFIND"`"#,
            Self::Headers => r#"a header name as a string literal, as in `"x-api-key"`"#,
            _ => r#"a header name as a string literal, as in `"x-request-id"`"#,
        }
    }
}
