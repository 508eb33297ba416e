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
    /// IBM PC code page 437, the zip default (US Windows).
    Cp437,
    /// Code page 850, western European Windows (ã, õ, Ø where CP437 draws boxes).
    Cp850,
    /// Another legacy code page.
    Legacy(&'static Encoding),
}

impl NameCodec {
    /// Decode one raw name.
    pub fn decode(self, raw: &[u8]) -> String {
        match self {
            NameCodec::Utf8 => String::from_utf8_lossy(raw).into_owned(),
            NameCodec::Cp437 => raw.iter().map(|&b| oem(CP437_HIGH, b)).collect(),
            NameCodec::Cp850 => raw.iter().map(|&b| oem(CP850_HIGH, b)).collect(),
            NameCodec::Legacy(enc) => enc.decode_without_bom_handling(raw).0.into_owned(),
        }
    }

    /// A short name for the report.
    pub fn label(self) -> String {
        match self {
            NameCodec::Utf8 => "UTF-8".into(),
            NameCodec::Cp437 => "CP437".into(),
            NameCodec::Cp850 => "CP850".into(),
            NameCodec::Legacy(enc) => enc.name().into(),
        }
    }

    /// The codec for a `--zip-encoding` label (`cp437`, `cp850`, `gbk`,
    /// `cp936`, `big5`, `shift_jis`, `utf-8`, …).
    pub fn from_label(label: &str) -> Option<Self> {
        let l = label.trim().to_ascii_lowercase();
        let alias = match l.as_str() {
            "cp437" | "437" | "ibm437" => return Some(NameCodec::Cp437),
            "cp850" | "850" | "ibm850" => return Some(NameCodec::Cp850),
            "cp936" | "936" => "gbk",
            "cp950" | "950" => "big5",
            "cp932" | "932" => "shift_jis",
            "cp949" | "949" => "euc-kr",
            "cp1252" => "windows-1252",
            other => other,
        };
        let enc = Encoding::for_label(alias.as_bytes())?;
        Some(if enc == encoding_rs::UTF_8 {
            NameCodec::Utf8
        } else {
            NameCodec::Legacy(enc)
        })
    }
}

/// Choose the codec for the names that lack the UTF-8 flag.
pub fn choose(unflagged: &[&[u8]], forced: Option<NameCodec>) -> NameCodec {
    if let Some(codec) = forced {
        return codec;
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
        return NameCodec::Legacy(guess);
    }
    western(&non_ascii)
}

/// CP437 or CP850: whichever reads more of the high bytes as letters (the
/// two agree on é, ü, ç; CP850 has ã, õ, Á, Ø where CP437 has box drawing
/// and Greek). A tie keeps the zip standard's CP437.
fn western(names: &[&[u8]]) -> NameCodec {
    let letters = |table: &str| {
        names
            .iter()
            .flat_map(|n| n.iter())
            .filter(|&&b| b >= 0x80 && oem(table, b).is_alphabetic())
            .count()
    };
    if letters(CP850_HIGH) > letters(CP437_HIGH) {
        NameCodec::Cp850
    } else {
        NameCodec::Cp437
    }
}

/// CP437 upper half (0x80..=0xFF).
const CP437_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{a0}";

/// CP850 upper half (0x80..=0xFF).
const CP850_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u{ad}±‗¾¶§÷¸°¨·¹³²■\u{a0}";

fn oem(table: &str, b: u8) -> char {
    if b < 0x80 {
        return b as char;
    }
    table
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
        assert_eq!(CP850_HIGH.chars().count(), 128);
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
        let codec = choose(&[&raw], NameCodec::from_label("cp932"));
        assert_eq!(codec.decode(&raw), "日記.html");
    }

    #[test]
    fn portuguese_oem_names_are_cp850() {
        // "Coração/Fotos/São João.html" from a Brazilian Windows: ç=0x87, ã=0xC6.
        let n: &[u8] = b"Cora\x87\xC6o/Fotos/S\xC6o Jo\xC6o.html";
        let codec = choose(&[n], None);
        assert_eq!(codec, NameCodec::Cp850);
        assert_eq!(codec.decode(n), "Coração/Fotos/São João.html");
        assert_eq!(NameCodec::from_label("CP850"), Some(NameCodec::Cp850));
        assert_eq!(
            NameCodec::from_label("gbk"),
            Some(NameCodec::Legacy(encoding_rs::GBK))
        );
        assert_eq!(NameCodec::from_label("klingon"), None);
    }
}
