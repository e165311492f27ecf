//! The hash that places names in a constant open-addressing table.
//!
//! The table is laid out once, by the macro at compile time or at startup, and looked up by
//! `cors-runtime` on every request: hashing the key is linear in its length and the probe
//! sequence is short and fixed, so a lookup costs the same for 1 entry as for 256. Both sides must
//! use the very same [`hash`], which is why it lives here.

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

/// The number of slots for `len` entries: a power of two at least twice `len`, so that at most
/// half the slots are full and every probe sequence ends at an empty slot.
#[must_use]
pub const fn slot_count(len: usize) -> usize {
    if len == 0 {
        0
    } else {
        (len * 2).next_power_of_two()
    }
}

/// Lays out the slots for `keys`: slot `i` holds `0` when empty, else one more than the index of
/// the key stored there. Linear probing from `hash(key) % slots`.
///
/// # Panics
/// If there are more than `u16::MAX` keys, which no configuration checked by this crate reaches.
#[must_use]
pub fn layout<K: AsRef<[u8]>>(keys: &[K], case: Case) -> Vec<u16> {
    let mut slots = vec![0_u16; slot_count(keys.len())];
    let mask = slots.len().wrapping_sub(1);
    for (index, key) in keys.iter().enumerate() {
        let entry = u16::try_from(index + 1).expect("at most 65535 entries in one table");
        // hash as usize: only the low bits are used
        #[allow(clippy::cast_possible_truncation)]
        let mut slot = hash(key.as_ref(), case) as usize & mask;
        while slots[slot] != 0 {
            slot = (slot + 1) & mask;
        }
        slots[slot] = entry;
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut seen: Vec<u16> = slots.iter().copied().filter(|&s| s != 0).collect();
        seen.sort_unstable();
        assert_eq!(seen, (1..=256).collect::<Vec<u16>>());
        assert!(layout::<&str>(&[], Case::Sensitive).is_empty());
    }
}
