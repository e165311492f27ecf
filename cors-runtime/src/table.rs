//! A constant open-addressing table of names, laid out at compile time.

use cors_rules::table::{Case, hash};

/// A set of names laid out by [`cors_rules::table::layout`]: one hash of the key and a short,
/// fixed probe, whatever the number of entries.
#[derive(Debug)]
pub struct Table<T: 'static> {
    /// The names, in the order they were configured.
    pub entries: &'static [T],
    /// Open-addressing slots: `0` is empty, `n` is `entries[n - 1]`.
    pub slots: &'static [u16],
    /// Whether names compare byte for byte or ASCII-case-insensitively.
    pub case: Case,
}

/// Up to this many entries, comparing lengths one by one beats hashing the key.
const SCAN_UP_TO: usize = 8;

impl<T: AsRef<[u8]>> Table<T> {
    /// The entry equal to `key`, if any.
    pub(crate) fn find(&self, key: &[u8]) -> Option<&'static T> {
        if self.entries.len() <= SCAN_UP_TO {
            return self
                .entries
                .iter()
                .find(|entry| self.eq(entry.as_ref(), key));
        }
        let mask = self.slots.len().wrapping_sub(1);
        // only the low bits of the hash choose the slot
        #[allow(clippy::cast_possible_truncation)]
        let mut slot = hash(key, self.case) as usize & mask;
        // at most half the slots are full, so an empty one ends the probe; the bound only keeps a
        // hand-made table from looping
        for _ in 0..self.slots.len() {
            let index = usize::from(*self.slots.get(slot)?);
            let entry = self.entries.get(index.checked_sub(1)?)?;
            if self.eq(entry.as_ref(), key) {
                return Some(entry);
            }
            slot = (slot + 1) & mask;
        }
        None
    }

    fn eq(&self, entry: &[u8], key: &[u8]) -> bool {
        // entries are lowercase, and so are the names browsers send: compare bytes first
        entry.len() == key.len()
            && (entry == key || (self.case == Case::Insensitive && entry.eq_ignore_ascii_case(key)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cors_rules::table::layout;

    fn leak<T>(items: Vec<T>) -> &'static [T] {
        Vec::leak(items)
    }

    #[test]
    fn finds_every_entry_and_nothing_else() {
        let names: Vec<String> = (0..256)
            .map(|i| format!("https://app{i}.example.com"))
            .collect();
        let slots = leak(layout(&names, Case::Sensitive));
        let table = Table {
            entries: leak(names.clone()),
            slots,
            case: Case::Sensitive,
        };
        for name in &names {
            assert_eq!(table.find(name.as_bytes()), Some(name));
            assert_eq!(table.find(name.to_uppercase().as_bytes()), None);
        }
        assert_eq!(table.find(b"https://app256.example.com"), None);
        assert_eq!(table.find(b""), None);
    }

    #[test]
    fn insensitive_tables_ignore_ascii_case() {
        let names = vec!["content-type", "x-api-key"];
        let slots = leak(layout(&names, Case::Insensitive));
        let table = Table {
            entries: leak(names),
            slots,
            case: Case::Insensitive,
        };
        assert_eq!(table.find(b"X-Api-Key"), Some(&"x-api-key"));
        assert_eq!(table.find(b"x-api-keys"), None);
    }

    #[test]
    fn an_empty_table_finds_nothing() {
        let table: Table<&str> = Table {
            entries: &[],
            slots: &[],
            case: Case::Sensitive,
        };
        assert_eq!(table.find(b"anything"), None);
    }
}
