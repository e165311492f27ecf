//! The table of the origins a running application loads, in any number: each key sits inline in
//! a slot of one cache line, so that a lookup reads one line per probe and, however large the
//! table, touches one page of memory for a key that fits in the line.
//!
//! A table of a hundred thousand entries spans megabytes, and each page a lookup touches costs a
//! trip to the processor's page-translation cache; a key held apart from its slot (a `String`'s
//! own allocation) would cost a second such page and a third for the `String` itself. Holding the
//! key inline is what keeps a lookup in a large table as cheap as in a table of one. The price is
//! memory: 64 bytes a slot, two to four slots an entry.
//!
//! Each key carries a 32-bit value of the caller's, held in its slot too, for whatever the caller
//! must read about an entry once its key is found: reading it from elsewhere would cost a page
//! again.

use super::{Case, hash, probe, same_bytes};

/// The longest key held inline in its slot; longer keys (rare among origins) are held in the
/// table's overflow bytes.
const INLINE: usize = 53;

/// One slot: one cache line.
#[derive(Clone, Copy, Debug)]
#[repr(C, align(64))]
struct Slot {
    /// The high half of the key's [`hash`], compared before any byte of the key.
    check: u32,
    /// The value laid out with the key.
    value: u32,
    /// The length of the key.
    len: u16,
    /// Whether the slot holds a key.
    full: bool,
    /// The key, when at most [`INLINE`] bytes long; else where it starts in the overflow bytes,
    /// as four little-endian bytes.
    key: [u8; INLINE],
}

impl Slot {
    const EMPTY: Self = Self {
        check: 0,
        value: 0,
        len: 0,
        full: false,
        key: [0; INLINE],
    };
}

/// The part of a key's hash a slot keeps to compare first.
fn check(hash: u64) -> u32 {
    // the high half: the low bits already chose the slot
    #[allow(clippy::cast_possible_truncation)]
    let high = (hash >> 32) as u32;
    high
}

/// Byte-exact keys, each with a 32-bit value, laid out once and looked up with one hash and a
/// short probe whatever their number. The same key may be laid out more than once, with several
/// values.
///
/// Unlike [`Table`](super::Table), it is never scanned, however few its keys, so that a lookup
/// costs the same whether it holds one key or a hundred thousand.
#[derive(Clone, Debug, Default)]
pub struct WideTable {
    /// Open-addressing slots, a power of two at least twice the number of keys, so that every
    /// probe sequence ends at an empty slot.
    slots: Vec<Slot>,
    /// The keys longer than [`INLINE`], end to end.
    overflow: Vec<u8>,
}

impl WideTable {
    /// Lays out each key with its value.
    ///
    /// # Panics
    /// With a key of 64 KiB or more, or 4 GiB of keys; checked origins are far shorter.
    #[must_use]
    pub fn new<K: AsRef<[u8]>>(entries: impl ExactSizeIterator<Item = (K, u32)>) -> Self {
        let count = match entries.len() {
            0 => 0,
            len => (len * 2).next_power_of_two(),
        };
        let mut table = Self {
            slots: vec![Slot::EMPTY; count],
            overflow: Vec::new(),
        };
        for (key, value) in entries {
            table.insert(key.as_ref(), value);
        }
        table
    }

    fn insert(&mut self, key: &[u8], value: u32) {
        let hash = hash(key, Case::Sensitive);
        let mut slot = Slot {
            check: check(hash),
            value,
            full: true,
            len: u16::try_from(key.len()).expect("keys shorter than 64 KiB"),
            key: [0; INLINE],
        };
        if key.len() <= INLINE {
            slot.key[..key.len()].copy_from_slice(key);
        } else {
            let start = u32::try_from(self.overflow.len()).expect("under 4 GiB of long keys");
            slot.key[..4].copy_from_slice(&start.to_le_bytes());
            self.overflow.extend_from_slice(key);
        }
        let at = probe(hash, self.slots.len())
            .find(|&at| !self.slots[at].full)
            .expect("at most half the slots are full");
        self.slots[at] = slot;
    }

    /// The values laid out with `key`, in no particular order.
    #[inline]
    pub fn find<'a>(&'a self, key: &'a [u8]) -> impl Iterator<Item = u32> + 'a {
        let hash = hash(key, Case::Sensitive);
        let check = check(hash);
        probe(hash, self.slots.len())
            .map(|at| &self.slots[at])
            // at most half the slots are full, so an empty one ends the probe
            .take_while(|slot| slot.full)
            .filter(move |slot| slot.check == check && self.holds(slot, key))
            .map(|slot| slot.value)
    }

    /// Whether `key` was laid out.
    #[inline]
    #[must_use]
    pub fn contains(&self, key: &[u8]) -> bool {
        // an empty table (a set of patterns only has no exact origins) need not hash the key
        !self.slots.is_empty() && self.find(key).next().is_some()
    }

    fn holds(&self, slot: &Slot, key: &[u8]) -> bool {
        usize::from(slot.len) == key.len() && same_bytes(self.key(slot), key)
    }

    /// The key held in `slot`.
    fn key<'a>(&'a self, slot: &'a Slot) -> &'a [u8] {
        let len = usize::from(slot.len);
        if len <= INLINE {
            return &slot.key[..len];
        }
        let start = u32::from_le_bytes([slot.key[0], slot.key[1], slot.key[2], slot.key[3]]);
        let start = start as usize;
        &self.overflow[start..start + len]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_is_one_cache_line() {
        assert_eq!(size_of::<Slot>(), 64);
        assert_eq!(align_of::<Slot>(), 64);
    }

    #[test]
    fn finds_every_key_short_or_long_and_nothing_else() {
        let long = format!("https://{}.example.com", "a".repeat(60));
        let keys: Vec<String> = (0..1_000)
            .map(|i| format!("https://tenant{i}.example.com"))
            .chain([long.clone(), format!("{long}:8443")])
            .collect();
        let entries: Vec<(&String, u32)> = keys.iter().zip(7..).collect();
        let table = WideTable::new(entries.iter().copied());
        for (key, value) in entries {
            assert_eq!(table.find(key.as_bytes()).collect::<Vec<_>>(), [value]);
        }
        for absent in [
            "https://tenant1000.example.com",
            "https://tenant1.example.co",
            &long[..long.len() - 1],
            "",
        ] {
            assert!(!table.contains(absent.as_bytes()), "{absent}");
        }
    }

    #[test]
    fn a_key_laid_out_twice_finds_both_values() {
        let table = WideTable::new(
            [("example.com", 3), ("example.org", 4), ("example.com", 5)].into_iter(),
        );
        let mut found: Vec<u32> = table.find(b"example.com").collect();
        found.sort_unstable();
        assert_eq!(found, [3, 5]);
    }

    #[test]
    fn an_empty_table_finds_nothing() {
        let table = WideTable::new(std::iter::empty::<(&str, u32)>());
        assert!(!table.contains(b"https://example.com"));
        assert!(!table.contains(b""));
    }
}
