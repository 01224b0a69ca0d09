//! Word-at-a-time helpers of the JSON readers: eight bytes tested or converted at once, in
//! plain integer arithmetic (the crate has no `unsafe`, so no SIMD intrinsics).

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// High bit set in each byte of `w` that is below `n` (`n` <= 0x80); exact for the lowest
/// such byte, which is all the scanner reads.
const fn bytes_below(w: u64, n: u8) -> u64 {
    w.wrapping_sub(ONES * n as u64) & !w & HIGHS
}

/// High bit set in each byte of `w` equal to `c`; exact for the lowest such byte.
pub(crate) const fn bytes_equal(w: u64, c: u8) -> u64 {
    bytes_below(w ^ (ONES * c as u64), 1)
}

/// The length of the run of plain string bytes (neither `"`, `\\` nor a control byte) at the
/// start of `b`. Most strings end within eight bytes, found by one word-at-a-time test; a long
/// run is then skipped 32 bytes at a time (a form the compiler turns into vector compares),
/// and its end found eight bytes at a time.
#[inline(always)]
pub(crate) fn plain_len(b: &[u8]) -> usize {
    if let Some(chunk) = b.first_chunk::<8>() {
        let special = special_bytes(u64::from_le_bytes(*chunk));
        if special != 0 {
            return (special.trailing_zeros() / 8) as usize;
        }
        return 8 + plain_len_long(b.get(8..).unwrap_or_default());
    }
    plain_len_long(b)
}

/// [`plain_len`] past the first eight bytes.
fn plain_len_long(b: &[u8]) -> usize {
    let mut rest = b;
    // Up to 24 more bytes a word at a time (most names, URLs, identifiers end there).
    for _ in 0..3 {
        let Some((chunk, tail)) = rest.split_first_chunk::<8>() else {
            break;
        };
        let special = special_bytes(u64::from_le_bytes(*chunk));
        if special != 0 {
            return b.len() - rest.len() + (special.trailing_zeros() / 8) as usize;
        }
        rest = tail;
    }
    while let Some((block, tail)) = rest.split_first_chunk::<32>() {
        let special = block.iter().fold(false, |any, &c| {
            any | (c == b'"') | (c == b'\\') | (c < 0x20)
        });
        if special {
            break;
        }
        rest = tail;
    }
    while let Some((chunk, tail)) = rest.split_first_chunk::<8>() {
        let special = special_bytes(u64::from_le_bytes(*chunk));
        if special != 0 {
            return b.len() - rest.len() + (special.trailing_zeros() / 8) as usize;
        }
        rest = tail;
    }
    let tail = rest
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .unwrap_or(rest.len());
    b.len() - rest.len() + tail
}

/// High bit set in each byte of `w` that ends a run of plain string bytes; exact for the
/// lowest such byte.
///
/// It is `bytes_equal(w, b'"') | bytes_equal(w, b'\\') | bytes_below(w, 0x20)` with the common
/// factor taken out: each of the three masks its subtraction with the complement of its own
/// operand's high bits, and `"`, `\\` and 0x20 are all below 0x80, so those high bits are
/// `w`'s own.
#[inline(always)]
const fn special_bytes(w: u64) -> u64 {
    let quote = (w ^ (ONES * b'"' as u64)).wrapping_sub(ONES);
    let backslash = (w ^ (ONES * b'\\' as u64)).wrapping_sub(ONES);
    let control = w.wrapping_sub(ONES * 0x20);
    (quote | backslash | control) & !w & HIGHS
}

/// The run of ASCII digits at the start of `b`: its length, and its value when it has at most
/// 19 digits (so that it fits `u64`), read eight digits at a time.
#[inline]
pub(crate) fn digit_run(b: &[u8]) -> (usize, Option<u64>) {
    const POW10: [u64; 8] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];
    let mut len = 0;
    let mut value = 0u64;
    while let Some(chunk) = b.get(len..).and_then(|rest| rest.first_chunk::<8>()) {
        // Digits become their values 0..=9; every other byte becomes 10 or more.
        let d = u64::from_le_bytes(*chunk) ^ (ONES * u64::from(b'0'));
        // High bit set in each byte of 10 or more (no carry: a byte below 0x80 plus 0x76).
        let other = (((d & !HIGHS).wrapping_add(ONES * 0x76)) | d) & HIGHS;
        if other == 0 {
            value = value
                .wrapping_mul(100_000_000)
                .wrapping_add(eight_digits(d));
            len += 8;
            continue;
        }
        let k = (other.trailing_zeros() / 8) as usize;
        if let Some(&scale) = POW10.get(k).filter(|_| k > 0) {
            // The k digits moved to the top, as an eight-digit number with leading zeros.
            let top = d << (8 * (8 - k));
            value = value.wrapping_mul(scale).wrapping_add(eight_digits(top));
            len += k;
        }
        return (len, (len <= 19).then_some(value));
    }
    for &c in b.get(len..).unwrap_or_default() {
        let v = c.wrapping_sub(b'0');
        if v > 9 {
            break;
        }
        value = value.wrapping_mul(10).wrapping_add(u64::from(v));
        len += 1;
    }
    (len, (len <= 19).then_some(value))
}

/// The value of eight digits, one per byte (0..=9, the first digit in the lowest byte): three
/// multiplications instead of eight. Below 10^8, so it never wraps.
#[inline]
const fn eight_digits(d: u64) -> u64 {
    // Pairs of digits, then fours, then all eight.
    let v = d.wrapping_mul(10).wrapping_add(d >> 8);
    let lo = (v & 0x0000_00FF_0000_00FF).wrapping_mul(100 + (1_000_000 << 32));
    let hi = ((v >> 16) & 0x0000_00FF_0000_00FF).wrapping_mul(1 + (10_000 << 32));
    lo.wrapping_add(hi) >> 32
}

/// Up to eight bytes of `b` from `start`, as a little-endian integer (zero-padded past the end).
#[inline]
pub(crate) fn word_at(b: &[u8], start: usize) -> u64 {
    if let Some(chunk) = b.get(start..start + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        return u64::from_le_bytes(word);
    }
    let mut word = 0u64;
    for (i, &byte) in b.get(start..).unwrap_or_default().iter().enumerate() {
        word |= u64::from(byte) << (8 * i);
    }
    word
}
