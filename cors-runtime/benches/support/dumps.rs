//! This bench binary run again under callgrind, and the counts callgrind writes after each batch
//! (`--dump-after`), read back in order.

use std::path::Path;
use std::process::Command;
use std::{env, fs};

/// Runs this binary again under callgrind, with `child` set in its environment: it counts only
/// inside the functions `toggle` names (`--toggle-collect`, wildcards allowed) and dumps its
/// counts each time `dump_after` returns (a full name). Returns the total of each dump, in the
/// order the child made them, or why there are none. The dumps go to `dir` under the target's
/// temporary directory, emptied first so that no earlier run's dumps are read as this run's.
pub(crate) fn record(
    dir: &str,
    child: &str,
    toggle: &str,
    dump_after: &str,
) -> Result<impl Iterator<Item = u64> + use<>, String> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(dir);
    match fs::remove_dir_all(&dir) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            return Err(format!("cannot clear {}: {error}", dir.display()));
        }
        _ => {}
    }
    fs::create_dir_all(&dir)
        .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    let out = dir.join("callgrind.out");
    let exe = env::current_exe().map_err(|error| format!("cannot find this binary: {error}"))?;
    let run = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--collect-atstart=no")
        .arg(format!("--toggle-collect={toggle}"))
        .arg(format!("--dump-after={dump_after}"))
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(exe)
        .env(child, "1")
        .output()
        .map_err(|error| {
            format!("cannot run valgrind ({error}); install it to count instructions")
        })?;
    if !run.status.success() {
        return Err(format!(
            "valgrind failed ({}):\n{}",
            run.status,
            String::from_utf8_lossy(&run.stderr)
        ));
    }
    Ok(totals(&out))
}

/// The total instructions of each dump of `out` (`callgrind.out.1`, `.2`, ...), in the order
/// the measured run made them; ends at the first dump missing.
fn totals(out: &Path) -> impl Iterator<Item = u64> + use<> {
    let out = out.display().to_string();
    // dumps are numbered from 1 in the order the child made them
    (1..).map_while(move |part| {
        let text = fs::read_to_string(format!("{out}.{part}")).ok()?;
        text.lines()
            .find_map(|line| {
                line.strip_prefix("totals:")
                    .or(line.strip_prefix("summary:"))
            })
            .and_then(|total| total.trim().parse::<u64>().ok())
    })
}
