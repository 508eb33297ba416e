//! What an image file is, by its first bytes (its magic number), whatever
//! its name says: the media stage names bundled files by it, and the web
//! archive reader tells a captured picture from a page by it.

/// An image type recognised from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    /// MIME type.
    pub mime: &'static str,
    /// Extension written in the bundle.
    pub ext: &'static str,
}

/// Recognise an image by its magic bytes.
pub fn sniff(head: &[u8]) -> Option<Sniffed> {
    let s = |mime, ext| Some(Sniffed { mime, ext });
    match head {
        [0xFF, 0xD8, 0xFF, ..] => s("image/jpeg", "jpg"),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => s("image/png", "png"),
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => s("image/gif", "gif"),
        [b'B', b'M', ..] if head.len() >= 14 => s("image/bmp", "bmp"),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => s("image/webp", "webp"),
        [b'I', b'I', 0x2A, 0x00, ..] | [b'M', b'M', 0x00, 0x2A, ..] => s("image/tiff", "tif"),
        _ => None,
    }
}
