//! CRC-32 (IEEE 802.3, the zlib/PNG polynomial).
//!
//! With the `std` feature (hosts) the work is done by `crc32fast`, which
//! uses carry-less multiplication (PCLMULQDQ) when the CPU has it, found out
//! at run time: the CRC was the largest cost of decoding a bundle. Without
//! `std` (firmware) one `const`-built 1 KiB table is used, byte by byte.
//! Both give the same result; a test checks it.

const POLY: u32 = 0xEDB8_8320;

const fn make_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { POLY ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

#[cfg_attr(feature = "std", allow(dead_code))]
static TABLE: [u32; 256] = make_table();

#[cfg_attr(feature = "std", allow(dead_code))]
fn bytewise(mut crc: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        crc = TABLE[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    crc
}

/// The CRC-32 of `bytes`.
#[cfg(feature = "std")]
pub fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// The CRC-32 of `bytes`.
#[cfg(not(feature = "std"))]
pub fn crc32(bytes: &[u8]) -> u32 {
    !bytewise(!0, bytes)
}

#[cfg(test)]
mod tests {
    use super::{bytewise, crc32};

    #[test]
    fn known_vectors() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    #[test]
    fn host_and_firmware_variants_agree() {
        let data: [u8; 5000] = core::array::from_fn(|i| (i * 7 + i / 13) as u8);
        for len in [
            0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 127, 128, 129, 999, 4096, 5000,
        ] {
            assert_eq!(
                crc32(&data[..len]),
                !bytewise(!0, &data[..len]),
                "length {len}"
            );
        }
    }
}
