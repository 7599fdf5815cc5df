//! `skillpass::qr`: the codes decode (with `rqrr`, an independent decoder) to exactly the data we
//! put in, at error-correction level M, with a white quiet zone and a phone-readable size.

use image::GrayImage;
use qrcode::{EcLevel, QrCode};
use skillpass::qr::{self, QrError, MAX_DATA_LEN, MIN_SIZE_PX};

const URL: &str =
    "https://verify.skillpass.example/v/urn:uuid:3f1c2a9e-8b7d-4e6f-9a1b-2c3d4e5f6a7b";

/// rqrr reports the raw 2-bit format value: L = 1, M = 0, Q = 3, H = 2.
const ECC_M: u16 = 0;

/// Decodes the only QR code in `img`: (data, error-correction level, version).
///
/// rqrr can report extra candidate grids in large, dense codes; only ones that decode count.
fn decode(img: GrayImage) -> (String, u16, usize) {
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let decoded: Vec<_> = prepared
        .detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok())
        .collect();
    assert_eq!(decoded.len(), 1, "expected exactly one decodable QR code");
    let (meta, content) = decoded.into_iter().next().unwrap();
    (content, meta.ecc_level, meta.version.0)
}

fn decode_png(png: &[u8]) -> (String, u16, usize, GrayImage) {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let img = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .expect("PNG decodes")
        .to_luma8();
    let (data, ecc, version) = decode(img.clone());
    (data, ecc, version, img)
}

#[test]
fn png_decodes_to_the_exact_url_at_level_m() {
    let (data, ecc, _, img) = decode_png(&qr::png(URL).unwrap());
    assert_eq!(data, URL);
    assert_eq!(ecc, ECC_M);
    assert!(img.width() >= MIN_SIZE_PX && img.height() >= MIN_SIZE_PX);
    assert_eq!(img.width(), img.height());
}

#[test]
fn the_ecc_check_can_tell_levels_apart() {
    // Guards the constant above: the same data at level L must read differently.
    let low = QrCode::with_error_correction_level(URL, EcLevel::L).unwrap();
    let img = low
        .render::<image::Luma<u8>>()
        .min_dimensions(256, 256)
        .build();
    let (data, ecc, _) = decode(img);
    assert_eq!(data, URL);
    assert_ne!(ecc, ECC_M);
}

#[test]
fn png_is_dark_on_white_with_a_four_module_quiet_zone() {
    let (_, _, version, img) = decode_png(&qr::png(URL).unwrap());
    assert!(
        img.pixels().all(|p| p.0[0] == 0 || p.0[0] == 255),
        "only black and white"
    );
    let modules = 17 + 4 * version as u32;
    let module_px = img.width() / (modules + 8);
    assert!(module_px >= 1);
    assert_eq!(img.width(), (modules + 8) * module_px);
    let margin = 4 * module_px;
    for (x, y, p) in img.enumerate_pixels() {
        let in_margin =
            x < margin || y < margin || x >= img.width() - margin || y >= img.height() - margin;
        if in_margin {
            assert_eq!(p.0[0], 255, "quiet zone pixel ({x},{y}) is dark");
        }
    }
    // The top-left finder pattern starts right after the quiet zone, dark.
    assert_eq!(img.get_pixel(margin, margin).0[0], 0);
}

#[test]
fn non_ascii_and_the_longest_input_round_trip() {
    let unicode = "https://verify.skillpass.example/v/Ausbildung-Bäcker-Süß";
    assert_eq!(decode_png(&qr::png(unicode).unwrap()).0, unicode);

    let prefix = "https://verify.skillpass.example/v/";
    let longest = format!("{prefix}{}", "x".repeat(MAX_DATA_LEN - prefix.len()));
    assert_eq!(longest.len(), MAX_DATA_LEN);
    let (data, ecc, _, img) = decode_png(&qr::png(&longest).unwrap());
    assert_eq!(data, longest);
    assert_eq!(ecc, ECC_M);
    assert!(img.width() >= MIN_SIZE_PX);
}

#[test]
fn too_long_and_empty_input_are_refused() {
    let long = "x".repeat(MAX_DATA_LEN + 1);
    for result in [qr::png(&long).map(|_| ()), qr::svg(&long).map(|_| ())] {
        let err = result.unwrap_err();
        assert!(
            matches!(err, QrError::TooLong { len } if len == MAX_DATA_LEN + 1),
            "{err}"
        );
        assert!(err.to_string().contains("verification URL"), "{err}");
    }
    assert!(matches!(qr::png(""), Err(QrError::Empty)));
    assert!(matches!(qr::svg(""), Err(QrError::Empty)));
}

/// The value of `name="…"` in the SVG's first tag that has it.
fn attr<'a>(svg: &'a str, name: &str) -> &'a str {
    let key = format!(" {name}=\"");
    let start = svg.find(&key).unwrap_or_else(|| panic!("no {name}")) + key.len();
    let len = svg[start..].find('"').unwrap();
    &svg[start..start + len]
}

/// Rasterises the SVG's dark path (`M x y h w v h H x V y` rectangles, as `qrcode` writes them)
/// onto a white canvas, one pixel per SVG unit.
fn rasterise(svg: &str, width: usize, height: usize) -> Vec<bool> {
    let d = attr(&svg[svg.find("<path").expect("a <path>")..], "d");
    let mut dark = vec![false; width * height];
    for rect in d.split('M').filter(|r| !r.is_empty()) {
        let nums: Vec<usize> = rect
            .split(|c: char| c == ' ' || c.is_ascii_alphabetic())
            .filter(|n| !n.is_empty())
            .map(|n| n.parse().unwrap())
            .collect();
        let [x, y, w, h, ..] = nums[..] else {
            panic!("unexpected path segment {rect:?}");
        };
        for row in y..y + h {
            for col in x..x + w {
                dark[row * width + col] = true;
            }
        }
    }
    dark
}

#[test]
fn svg_is_a_sized_document_that_decodes_to_the_exact_url() {
    let svg = qr::svg(URL).unwrap();
    assert!(
        svg.starts_with("<?xml") || svg.starts_with("<svg"),
        "{}",
        &svg[..40]
    );
    assert!(svg.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.trim_end().ends_with("</svg>"));
    let width: usize = attr(&svg, "width").parse().unwrap();
    let height: usize = attr(&svg, "height").parse().unwrap();
    assert!(width >= MIN_SIZE_PX as usize && height == width);
    assert_eq!(attr(&svg, "viewBox"), format!("0 0 {width} {height}"));
    // White background, black modules.
    assert_eq!(attr(&svg[svg.find("<rect").unwrap()..], "fill"), "#ffffff");
    assert_eq!(attr(&svg[svg.find("<path").unwrap()..], "fill"), "#000000");

    let dark = rasterise(&svg, width, height);
    let mut prepared =
        rqrr::PreparedImage::prepare_from_bitmap(width, height, |x, y| dark[y * width + x]);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    let (meta, content) = grids[0].decode().unwrap();
    assert_eq!(content, URL);
    assert_eq!(meta.ecc_level, ECC_M);
}
