//! `decode_list` refuses a decompression bomb without inflating it: a few kilobytes of
//! `encodedList` that would expand to 64 MiB must stop at the 16 MiB cap.
//!
//! Its own test binary (one test) so that the process's peak memory reflects this decode alone.

use std::io::Write;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use flate2::write::GzEncoder;
use flate2::Compression;
use skillpass::status::{decode_list, StatusError, MAX_LIST_BYTES};

const BOMB_BYTES: usize = 64 * 1024 * 1024;

/// `encodedList` of 64 MiB of zeros, built by streaming so the test itself never holds 64 MiB.
fn bomb() -> String {
    let zeros = vec![0u8; 1024 * 1024];
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    for _ in 0..BOMB_BYTES / zeros.len() {
        gz.write_all(&zeros).unwrap();
    }
    format!("u{}", URL_SAFE_NO_PAD.encode(gz.finish().unwrap()))
}

/// Peak resident memory of this process in KiB (Linux `VmHWM`).
#[cfg(target_os = "linux")]
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn a_64_mib_bomb_is_refused_at_the_cap() {
    let encoded = bomb();
    assert!(encoded.len() < 200_000, "bomb is {} chars", encoded.len());

    #[cfg(target_os = "linux")]
    let before = peak_rss_kib();
    let err = decode_list(&encoded).unwrap_err();
    assert!(matches!(err, StatusError::ListTooLarge), "{err}");
    assert!(err.to_string().contains("decompression bomb"), "{err}");

    // Inflating it all would add 64 MiB or more; stopping at the cap costs about 16 MiB.
    #[cfg(target_os = "linux")]
    {
        let grown_mib = (peak_rss_kib() - before) / 1024;
        assert!(
            grown_mib < (MAX_LIST_BYTES as u64 / (1024 * 1024)) + 8,
            "peak memory grew by {grown_mib} MiB while refusing the bomb"
        );
    }
}
