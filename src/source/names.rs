//! Zip entry names: which code page they were written in.
//!
//! The UTF-8 flag (bit 11) is honoured. Names without it were written in the
//! OEM code page of the zipping computer: CP437 by the specification, but
//! CP936 on Chinese Windows, CP932 on Japanese, CP950 on Taiwanese. Names
//! that are valid UTF-8 are taken as UTF-8 (Linux and macOS zip tools write
//! UTF-8 without the flag); otherwise a statistical guess over all names
//! decides between a CJK code page and CP437.

use encoding_rs::Encoding;

/// The code page chosen for the names of one archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameCodec {
    /// UTF-8 (flagged or valid).
    Utf8,
    /// IBM PC code page 437, the zip default.
    Cp437,
    /// Another legacy code page.
    Legacy(&'static Encoding),
}

impl NameCodec {
    /// Decode one raw name.
    pub fn decode(self, raw: &[u8]) -> String {
        match self {
            NameCodec::Utf8 => String::from_utf8_lossy(raw).into_owned(),
            NameCodec::Cp437 => raw.iter().map(|&b| cp437(b)).collect(),
            NameCodec::Legacy(enc) => enc.decode_without_bom_handling(raw).0.into_owned(),
        }
    }

    /// A short name for the report.
    pub fn label(self) -> String {
        match self {
            NameCodec::Utf8 => "UTF-8".into(),
            NameCodec::Cp437 => "CP437".into(),
            NameCodec::Legacy(enc) => enc.name().into(),
        }
    }
}

/// Choose the codec for the names that lack the UTF-8 flag.
pub fn choose(unflagged: &[&[u8]], forced: Option<&'static Encoding>) -> NameCodec {
    if let Some(enc) = forced {
        return if enc == encoding_rs::UTF_8 {
            NameCodec::Utf8
        } else {
            NameCodec::Legacy(enc)
        };
    }
    let non_ascii: Vec<&[u8]> = unflagged
        .iter()
        .copied()
        .filter(|n| !n.is_ascii())
        .collect();
    if non_ascii.is_empty() || non_ascii.iter().all(|n| std::str::from_utf8(n).is_ok()) {
        return NameCodec::Utf8;
    }
    let guess = crate::parse::encoding::guess_names(non_ascii.iter().copied());
    let is_cjk = [
        encoding_rs::GBK,
        encoding_rs::BIG5,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_KR,
    ]
    .contains(&guess);
    let clean = non_ascii
        .iter()
        .all(|n| !guess.decode_without_bom_handling(n).1);
    if is_cjk && clean {
        NameCodec::Legacy(guess)
    } else {
        NameCodec::Cp437
    }
}

/// CP437 upper half (0x80..=0xFF).
const CP437_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{a0}";

fn cp437(b: u8) -> char {
    if b < 0x80 {
        return b as char;
    }
    CP437_HIGH
        .chars()
        .nth(usize::from(b - 0x80))
        .unwrap_or('\u{FFFD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp437_table_is_complete() {
        assert_eq!(CP437_HIGH.chars().count(), 128);
        assert_eq!(NameCodec::Cp437.decode(&[0x82, b'a', 0xE1]), "éaß");
    }

    #[test]
    fn gbk_names_are_recognised() {
        let names = [
            "我的空间/日志/2010-09-28 你好.html",
            "我的空间/img/图片1.jpg",
        ];
        let raw: Vec<Vec<u8>> = names
            .iter()
            .map(|n| encoding_rs::GBK.encode(n).0.into_owned())
            .collect();
        let refs: Vec<&[u8]> = raw.iter().map(|r| r.as_slice()).collect();
        let codec = choose(&refs, None);
        assert_eq!(codec, NameCodec::Legacy(encoding_rs::GBK));
        assert_eq!(codec.decode(refs[0]), names[0]);
    }

    #[test]
    fn utf8_without_flag_and_ascii() {
        let n = "Grüße/ü.html".as_bytes();
        assert_eq!(choose(&[n], None), NameCodec::Utf8);
        assert_eq!(choose(&[b"blog/a.html"], None), NameCodec::Utf8);
    }

    #[test]
    fn western_oem_names_fall_back_to_cp437() {
        // "Café.html" written by a western Windows: é = 0x82 in CP437.
        let n: &[u8] = b"Caf\x82 r\x82sum\x82.html";
        let codec = choose(&[n], None);
        assert_eq!(codec.decode(n), "Café résumé.html");
    }

    #[test]
    fn forced_code_page() {
        let raw = encoding_rs::SHIFT_JIS.encode("日記.html").0.into_owned();
        let codec = choose(&[&raw], Some(encoding_rs::SHIFT_JIS));
        assert_eq!(codec.decode(&raw), "日記.html");
    }
}
