//! The header values a valid policy sends, rendered once from its lists.

/// `Access-Control-Allow-Methods`: the methods as configured, joined by `, `.
pub(crate) fn methods<S: AsRef<str>>(methods: &[S]) -> String {
    let methods: Vec<&str> = methods.iter().map(AsRef::as_ref).collect();
    methods.join(", ")
}

/// The header value listing header `names`: `*` first when `any`, names joined by `, `; `None`
/// when there is nothing to list.
pub(crate) fn names(any: bool, names: &[String]) -> Option<String> {
    let star = any.then_some("*");
    let all: Vec<&str> = star
        .into_iter()
        .chain(names.iter().map(String::as_str))
        .collect();
    (!all.is_empty()).then(|| all.join(", "))
}
