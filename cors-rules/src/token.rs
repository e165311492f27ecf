//! The `token` grammar of HTTP (RFC 9110 §5.6.2), which method and header names follow.

/// Whether `byte` may appear in a token (`tchar`): the characters of method and header names.
#[must_use]
pub const fn is_tchar(byte: u8) -> bool {
    matches!(byte,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`'
        | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

/// Whether `name` is a non-empty token.
pub(crate) fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(is_tchar)
}

/// The sentence that explains the token grammar, shared by every "not a valid name" message.
pub(crate) const TOKEN_CHARS: &str = "letters, digits and ``!#$%&'*+-.^_`|~``";
