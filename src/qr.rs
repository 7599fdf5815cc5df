//! QR codes for handing a credential's verification URL to a phone.
//!
//! A QR code here carries a short URL, never a whole credential: a signed credential is several
//! kilobytes, which would need a dense version-40 code that phone cameras read poorly. Input is
//! therefore capped at [`MAX_DATA_LEN`] bytes.
//!
//! Both renderings use error-correction level M (about 15 % of the code may be damaged, e.g. by
//! a crease in a printed certificate), keep the 4-module quiet zone that scanners need to find the
//! code, draw dark modules on white, and are at least [`MIN_SIZE_PX`] pixels wide.

use std::io::Cursor;

use image::{ImageFormat, Luma};
use qrcode::render::svg;
use qrcode::types::QrError as EncodeError;
use qrcode::{EcLevel, QrCode};

/// Longest input accepted, in bytes (UTF-8).
pub const MAX_DATA_LEN: usize = 1024;

/// Minimum width and height of the rendered code, quiet zone included: comfortably readable
/// from a phone screen or a printout.
pub const MIN_SIZE_PX: u32 = 256;

/// Errors from [`svg`] and [`png`].
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    #[error("nothing to encode: QR data is empty")]
    Empty,
    #[error(
        "QR data is {len} bytes, over the {MAX_DATA_LEN}-byte limit: encode a verification URL, \
         not the credential itself"
    )]
    TooLong { len: usize },
    #[error("QR encoding failed: {0}")]
    Encode(EncodeError),
    #[error("PNG encoding failed: {0}")]
    Png(#[from] image::ImageError),
}

/// An SVG document (`<?xml …?><svg … viewBox=…>`) showing `data` as a QR code.
pub fn svg(data: &str) -> Result<String, QrError> {
    Ok(code(data)?
        .render::<svg::Color<'_>>()
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .min_dimensions(MIN_SIZE_PX, MIN_SIZE_PX)
        .build())
}

/// A greyscale PNG showing `data` as a QR code.
pub fn png(data: &str) -> Result<Vec<u8>, QrError> {
    let img = code(data)?
        .render::<Luma<u8>>()
        .dark_color(Luma([0]))
        .light_color(Luma([255]))
        .quiet_zone(true)
        .min_dimensions(MIN_SIZE_PX, MIN_SIZE_PX)
        .build();
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png)?;
    Ok(out.into_inner())
}

fn code(data: &str) -> Result<QrCode, QrError> {
    if data.is_empty() {
        return Err(QrError::Empty);
    }
    if data.len() > MAX_DATA_LEN {
        return Err(QrError::TooLong { len: data.len() });
    }
    QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).map_err(|e| match e {
        EncodeError::DataTooLong => QrError::TooLong { len: data.len() },
        other => QrError::Encode(other),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_enforced_before_encoding() {
        assert!(matches!(svg(""), Err(QrError::Empty)));
        assert!(matches!(png(""), Err(QrError::Empty)));
        let long = "a".repeat(MAX_DATA_LEN + 1);
        assert!(matches!(svg(&long), Err(QrError::TooLong { len: 1025 })));
        assert!(matches!(png(&long), Err(QrError::TooLong { len: 1025 })));
        // The limit counts bytes, not characters.
        let wide = "é".repeat(MAX_DATA_LEN / 2 + 1);
        assert!(matches!(png(&wide), Err(QrError::TooLong { len: 1026 })));
        let msg = svg(&long).unwrap_err().to_string();
        assert!(
            msg.contains("1025 bytes") && msg.contains("verification URL"),
            "{msg}"
        );
    }

    #[test]
    fn the_longest_accepted_input_encodes() {
        let max = "A".repeat(MAX_DATA_LEN);
        assert!(svg(&max).is_ok());
        assert!(png(&max).is_ok());
    }
}
