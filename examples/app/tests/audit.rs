//! The example app's audit listing (`--audit-json`) names every `#[cors]` handler of its source,
//! at the line it is declared, with the policy written there.

use std::process::Command;

use serde_json::Value;

/// The `#[cors]` handlers of the example's source, read from the text: name and line.
fn declared() -> Vec<(String, u64)> {
    let source = include_str!("../src/api.rs");
    let mut handlers = Vec::new();
    let mut in_attribute = false;
    for (index, line) in source.lines().enumerate() {
        if line.starts_with("#[cors(") {
            in_attribute = true;
        }
        if in_attribute && let Some(rest) = line.strip_prefix("async fn ") {
            let name = rest.split(['(', '<']).next().unwrap().to_owned();
            handlers.push((name, index as u64 + 1));
            in_attribute = false;
        }
    }
    handlers
}

fn audit(flag: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_app"))
        .arg(flag)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_json_listing_matches_the_handlers_of_the_source() {
    let listing: Vec<Value> = serde_json::from_str(&audit("--audit-json")).unwrap();
    let listed: Vec<(String, u64)> = listing
        .iter()
        .map(|entry| {
            (
                entry["handler"].as_str().unwrap().to_owned(),
                entry["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let declared = declared();
    assert!(declared.len() >= 8, "{declared:?}");
    assert_eq!(listed, declared);
    for entry in &listing {
        assert_eq!(entry["file"], "examples/app/src/api.rs");
    }
    let account = listing
        .iter()
        .find(|entry| entry["handler"] == "account")
        .unwrap();
    assert_eq!(
        account["origins"],
        serde_json::json!(["http://localhost:3000"])
    );
    assert_eq!(account["credentials"], true);
    let public = listing
        .iter()
        .find(|entry| entry["handler"] == "public")
        .unwrap();
    assert_eq!(public["origins"], serde_json::json!(["*"]));
    assert_eq!(public["credentials"], false);
}

#[test]
fn the_table_has_a_row_per_handler() {
    let table = audit("--audit");
    let rows: Vec<&str> = table.lines().skip(1).collect();
    let declared = declared();
    assert_eq!(rows.len(), declared.len(), "{table}");
    for ((name, line), row) in declared.iter().zip(&rows) {
        assert!(row.starts_with(name.as_str()), "{row}");
        assert!(
            row.contains(&format!("examples/app/src/api.rs:{line}")),
            "{row}"
        );
    }
}
