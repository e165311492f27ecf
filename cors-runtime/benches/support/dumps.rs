//! The counts callgrind writes after each batch (`--dump-after`), read back in order.

use std::fs;
use std::path::Path;

/// The total instructions of each dump of `out` (`callgrind.out.1`, `.2`, ...), in the order
/// the measured run made them; ends at the first dump missing.
pub(crate) fn totals(out: &Path) -> impl Iterator<Item = u64> {
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
