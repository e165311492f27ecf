//! Constant open-addressing tables of names: laid out once, by the macro at compile time or at
//! startup, and looked up by `cors-runtime` on every request.
//!
//! Hashing the key is linear in its length and the probe sequence is short and fixed, so a lookup
//! costs the same for 1 entry as for 256. Layout and lookup walk the very same probe
//! sequence from the very same [`hash`], which is why both live here.

use std::borrow::Cow;

mod wide;

pub use wide::WideTable;

/// Whether keys compare byte for byte or ASCII-case-insensitively.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// Byte-equal keys (origins: `Origin` is compared byte for byte).
    Sensitive,
    /// ASCII-case-insensitive keys (header names).
    Insensitive,
}

const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

/// Hashes `key`, reading it eight bytes at a time.
///
/// With [`Case::Insensitive`], `A`-`Z` hash as `a`-`z`, so `Content-Type` and `content-type` land
/// in the same slot.
#[inline]
#[must_use]
pub fn hash(key: &[u8], case: Case) -> u64 {
    let mut state = key.len() as u64;
    let mut rest = key;
    while let Some((word, tail)) = rest.split_first_chunk::<8>() {
        state = mix(state, fold(u64::from_le_bytes(*word), case));
        rest = tail;
    }
    if !rest.is_empty() {
        let mut word = [0; 8];
        word[..rest.len()].copy_from_slice(rest);
        state = mix(state, fold(u64::from_le_bytes(word), case));
    }
    state ^= state >> 29;
    state = state.wrapping_mul(MULTIPLIER);
    state ^ (state >> 32)
}

fn mix(state: u64, word: u64) -> u64 {
    (state.rotate_left(5) ^ word).wrapping_mul(MULTIPLIER)
}

/// Lowercases the ASCII letters among the eight bytes of `word`, leaving every other byte as is.
fn fold(word: u64, case: Case) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const EACH: u64 = 0x0101_0101_0101_0101;
    if case == Case::Sensitive {
        return word;
    }
    let low7 = word & LOW7;
    // each byte's high bit: set when that byte's low seven bits are >= 'A', and when they are > 'Z'
    let at_least_a = low7 + (0x80 - u64::from(b'A')) * EACH;
    let above_z = low7 + (0x80 - u64::from(b'Z') - 1) * EACH;
    let upper = (at_least_a ^ above_z) & !word & HIGH;
    word | (upper >> 2)
}

/// Up to this many entries, comparing lengths one by one beats hashing the key: such tables have
/// no slots and are scanned.
const SCAN_UP_TO: usize = 8;

/// The number of slots for `len` entries: none for a table short enough to scan, else a power of
/// two at least twice `len`, so that at most half the slots are full and every probe sequence
/// ends at an empty slot.
#[must_use]
pub const fn slot_count(len: usize) -> usize {
    if len <= SCAN_UP_TO {
        0
    } else {
        (len * 2).next_power_of_two()
    }
}

/// The slots a key whose [`hash`] is `hash` may sit in, in the order layout fills them and
/// lookup reads them: linear probing from `hash % slots`, wrapping around once.
pub(crate) fn probe(hash: u64, slots: usize) -> impl Iterator<Item = usize> {
    let mask = slots.wrapping_sub(1);
    // only the low bits of the hash choose the slot
    #[allow(clippy::cast_possible_truncation)]
    let start = hash as usize;
    (0..slots).map(move |step| start.wrapping_add(step) & mask)
}

/// Lays out the slots for `keys`: slot `i` holds `0` when empty, else one more than the index of
/// the key stored there.
///
/// # Panics
/// If there are more than `u16::MAX` keys, which no configuration written in the source reaches.
#[must_use]
pub fn layout<K: AsRef<[u8]>>(keys: &[K], case: Case) -> Vec<u16> {
    let mut slots = vec![0; slot_count(keys.len())];
    if slots.is_empty() {
        return slots;
    }
    for (index, key) in keys.iter().enumerate() {
        let Ok(entry) = u16::try_from(index + 1) else {
            panic!("too many entries for a table written in the source");
        };
        let slot = probe(hash(key.as_ref(), case), slots.len())
            .find(|&slot| slots[slot] == 0)
            .expect("at most half the slots are full");
        slots[slot] = entry;
    }
    slots
}

/// A set of names laid out by [`layout`]: a scan of a few entries, or one hash of the key and a
/// short probe, whatever the number of entries.
///
/// For the origins a running application loads, in any number, see [`WideTable`].
#[derive(Clone, Debug)]
pub struct Table<T: Clone + 'static> {
    /// The names, in the order they were configured.
    entries: Cow<'static, [T]>,
    /// Open-addressing slots: `0` is empty, `n` is `entries[n - 1]`.
    slots: Cow<'static, [u16]>,
    /// Whether names compare byte for byte or ASCII-case-insensitively.
    case: Case,
}

impl<T: Clone + AsRef<[u8]>> Table<T> {
    /// A table of `entries`, laid out now (at startup).
    #[must_use]
    pub fn new(entries: Vec<T>, case: Case) -> Self {
        Self {
            slots: Cow::Owned(layout(&entries, case)),
            entries: Cow::Owned(entries),
            case,
        }
    }

    /// The entries in the order they were configured.
    #[must_use]
    pub fn entries(&self) -> &[T] {
        &self.entries
    }

    /// The entry equal to `key`, if any.
    #[inline]
    #[must_use]
    pub fn find(&self, key: &[u8]) -> Option<&T> {
        if self.slots.is_empty() {
            return self
                .entries
                .iter()
                .find(|entry| self.eq(entry.as_ref(), key));
        }
        for slot in probe(hash(key, self.case), self.slots.len()) {
            // at most half the slots are full, so an empty one ends the probe
            let entry = self
                .entries
                .get(usize::from(self.slots[slot]).checked_sub(1)?)?;
            if self.eq(entry.as_ref(), key) {
                return Some(entry);
            }
        }
        None
    }

    /// The entry `text` starts with, byte for byte, when what follows it in `text` is nothing or
    /// a byte `ends` accepts: a key found before finding where it ends, for keys that come
    /// written exactly as configured. Only a table short enough to scan answers; a table with
    /// slots, or a key written otherwise, gets `None`, and the caller splits `text` for
    /// [`find`](Self::find).
    #[inline]
    #[must_use]
    pub fn find_at_start(&self, text: &[u8], ends: impl Fn(u8) -> bool) -> Option<&T> {
        if !self.slots.is_empty() {
            return None;
        }
        self.entries.iter().find(|entry| {
            let entry = entry.as_ref();
            text.len() >= entry.len()
                && text.get(entry.len()).is_none_or(|&next| ends(next))
                && same_bytes(entry, &text[..entry.len()])
        })
    }

    fn eq(&self, entry: &[u8], key: &[u8]) -> bool {
        // entries are lowercase, and so are the names browsers send: compare bytes first
        entry.len() == key.len()
            && (same_bytes(entry, key)
                || (self.case == Case::Insensitive && entry.eq_ignore_ascii_case(key)))
    }
}

/// Whether `a` and `b`, of the same length, hold the same bytes: eight at a time, the last eight
/// overlapping the word before, for keys as short as names and origins, which a call to `memcmp`
/// costs more to compare.
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let len = a.len();
    if len < 8 {
        return a == b;
    }
    let word = |bytes: &[u8], at: usize| {
        u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"))
    };
    let mut at = 0;
    while at + 8 < len {
        if word(a, at) != word(b, at) {
            return false;
        }
        at += 8;
    }
    word(a, len - 8) == word(b, len - 8)
}

impl<T: Clone> Table<T> {
    /// A table written out by `#[cors]` at compile time: `slots` is what [`layout`] returned for
    /// `entries` and `case`.
    #[must_use]
    pub const fn laid_out(entries: &'static [T], slots: &'static [u16], case: Case) -> Self {
        Self {
            entries: Cow::Borrowed(entries),
            slots: Cow::Borrowed(slots),
            case,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_compare_equal_only_when_every_byte_is() {
        let text = b"https://app.example.com:8443";
        for len in 0..=text.len() {
            let a = &text[..len];
            assert!(same_bytes(a, a));
            for at in 0..len {
                let mut b = a.to_vec();
                b[at] ^= 0x20;
                assert!(!same_bytes(a, &b), "{len} bytes, changed at {at}");
            }
        }
    }

    #[test]
    fn insensitive_hash_ignores_ascii_case_only() {
        for byte in 0..=255_u8 {
            for position in 0..12 {
                let mut key = *b"content-type";
                key[position] = byte;
                let mut lower = key;
                lower.make_ascii_lowercase();
                assert_eq!(
                    hash(&key, Case::Insensitive),
                    hash(&lower, Case::Insensitive),
                    "byte {byte} at {position}"
                );
                if byte.is_ascii_uppercase() {
                    assert_ne!(hash(&key, Case::Sensitive), hash(&lower, Case::Sensitive));
                }
            }
        }
    }

    #[test]
    fn keys_differing_in_length_or_one_byte_hash_apart() {
        assert_ne!(hash(b"a", Case::Sensitive), hash(b"a\0", Case::Sensitive));
        assert_ne!(
            hash(b"https://a.example.com", Case::Sensitive),
            hash(b"https://b.example.com", Case::Sensitive)
        );
    }

    #[test]
    fn layout_places_every_key_once_at_most_half_full() {
        let keys: Vec<String> = (0..256)
            .map(|i| format!("https://app{i}.example.com"))
            .collect();
        let slots = layout(&keys, Case::Sensitive);
        assert_eq!(slots.len(), 512);
        assert!(layout(&keys[..SCAN_UP_TO], Case::Sensitive).is_empty());
        let mut seen: Vec<u16> = slots.iter().copied().filter(|&s| s != 0).collect();
        seen.sort_unstable();
        assert_eq!(seen, (1..=256).collect::<Vec<u16>>());
        assert!(layout::<&str>(&[], Case::Sensitive).is_empty());
    }

    #[test]
    fn finds_every_entry_and_nothing_else() {
        for count in [3, 256] {
            let names: Vec<String> = (0..count)
                .map(|i| format!("https://app{i}.example.com"))
                .collect();
            let table = Table::new(names.clone(), Case::Sensitive);
            for name in &names {
                assert_eq!(table.find(name.as_bytes()), Some(name));
                assert_eq!(table.find(name.to_uppercase().as_bytes()), None);
            }
            assert_eq!(table.find(b"https://app256.example.com"), None);
            assert_eq!(table.find(b""), None);
        }
    }

    #[test]
    fn insensitive_tables_ignore_ascii_case() {
        let mut names: Vec<String> = (0..12).map(|i| format!("x-header-{i}")).collect();
        names.push("x-api-key".into());
        for table in [
            Table::new(names, Case::Insensitive),
            Table::new(
                vec!["content-type".into(), "x-api-key".into()],
                Case::Insensitive,
            ),
        ] {
            assert_eq!(
                table.find(b"X-Api-Key").map(String::as_str),
                Some("x-api-key")
            );
            assert_eq!(table.find(b"x-api-keys"), None);
        }
    }

    #[test]
    fn an_empty_table_finds_nothing() {
        let table: Table<&str> = Table::laid_out(&[], &[], Case::Sensitive);
        assert_eq!(table.find(b"anything"), None);
    }

    #[test]
    fn a_scanned_table_finds_an_entry_at_the_start_of_a_text_only_where_it_ends() {
        let table = Table::new(vec!["content-type", "x-api-key"], Case::Insensitive);
        let comma = |next| next == b',';
        for (text, found) in [
            (&b"content-type,x-api-key"[..], Some("content-type")),
            (b"x-api-key", Some("x-api-key")),
            (b"x-api-key,", Some("x-api-key")),
            (b"x-api-keys", None),
            (b"x-api-key ,", None),
            (b"X-Api-Key", None),
            (b"x-api-ke", None),
            (b"", None),
        ] {
            assert_eq!(table.find_at_start(text, comma).copied(), found, "{text:?}");
        }
        let names: Vec<String> = (0..=SCAN_UP_TO).map(|i| format!("x-{i}")).collect();
        let hashed = Table::new(names, Case::Insensitive);
        assert_eq!(hashed.find_at_start(b"x-1", comma), None);
        assert!(hashed.find(b"x-1").is_some());
    }
}
