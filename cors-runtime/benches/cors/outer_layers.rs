//! What an outer layer on the whole router adds to ours, case by case: `watch()`, which only
//! watches for answers made outside the `#[cors]` layers, and `outer(&APP)`, which also answers
//! preflights and finishes those answers. Measured, not judged: the README documents the cost.

use crate::app::Variant;
use crate::cases::Case;
use crate::summary::{ByCase, Figures, signed, thousands};

/// Prints, for every case, the instructions and allocations each outer layer adds to ours.
pub(crate) fn print(cases: &[Case], figures: &Figures) {
    println!(
        "\n6. what an outer layer on the whole router adds to ours (shown, not judged): `watch()` and `outer(&APP)`"
    );
    println!(
        "{:<26} {:>14} {:>14} {:>14} {:>14}",
        "case", "+instr watch", "+instr outer", "+allocs watch", "+allocs outer"
    );
    let instructions = figures.instructions.as_ref().ok();
    let allocations = figures.allocations.as_ref().ok();
    for case in cases {
        let added = |figures: Option<&ByCase>, variant| {
            let figures = figures?;
            Some(figures.get(&(case.name, variant))? - figures.get(&(case.name, Variant::Ours))?)
        };
        println!(
            "{:<26} {:>14} {:>14} {:>14} {:>14}",
            case.name,
            signed(added(instructions, Variant::Watched), thousands),
            signed(added(instructions, Variant::Outer), thousands),
            signed(added(allocations, Variant::Watched), thousands),
            signed(added(allocations, Variant::Outer), thousands),
        );
    }
}
