//! Tests for the sanitizer: XSS vectors, Spaces-era formatting, embeds,
//! comments, chrome removal and counting.

use scraper::{ElementRef, Html, Selector};

use super::policy::{self, Mode};
use super::{attrs, css, url, walk, Cleaned, Removed, Rewrite, Sanitizer, Tally};

const VECTORS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/testdata/xss/vectors.txt"
));

/// The vectors of `testdata/xss/vectors.txt`, escapes decoded.
fn vectors() -> Vec<String> {
    VECTORS
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(unescape)
        .collect()
}

fn unescape(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('f') => out.push('\u{c}'),
            Some('0') => out.push('\0'),
            Some('u') => {
                let hex: String = chars
                    .by_ref()
                    .skip_while(|c| *c == '{')
                    .take_while(|c| *c != '}')
                    .collect();
                let n = u32::from_str_radix(&hex, 16).expect("hex escape");
                out.push(char::from_u32(n).expect("char escape"));
            }
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

fn parse(html: &str) -> Html {
    Html::parse_fragment(html)
}

fn elements(doc: &Html) -> Vec<ElementRef<'_>> {
    doc.root_element()
        .descendants()
        .skip(1)
        .filter_map(ElementRef::wrap)
        .collect()
}

/// Test-local, deliberately independent decoder: numeric references and
/// the named ones used for scheme hiding, applied repeatedly, then
/// percent-decoding.
fn decode_hard(v: &str) -> String {
    let mut s = v.to_string();
    for _ in 0..4 {
        let mut out = String::new();
        let mut rest = s.as_str();
        while let Some(i) = rest.find('&') {
            out.push_str(&rest[..i]);
            rest = &rest[i + 1..];
            let lower = rest.to_ascii_lowercase();
            let named = [
                ("colon", ':'),
                ("tab", '\t'),
                ("newline", '\n'),
                ("amp", '&'),
            ]
            .iter()
            .find(|(n, _)| lower.starts_with(n));
            if let Some((n, c)) = named {
                out.push(*c);
                rest = rest[n.len()..]
                    .strip_prefix(';')
                    .unwrap_or(&rest[n.len()..]);
            } else if let Some(num) = rest.strip_prefix('#') {
                let (radix, body) = match num.strip_prefix(['x', 'X']) {
                    Some(h) => (16, h),
                    None => (10, num),
                };
                let len = body.chars().take_while(|c| c.is_digit(radix)).count();
                let c = u32::from_str_radix(&body[..len.min(8)], radix)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('?');
                out.push(c);
                let used = num.len() - body.len() + len + 1;
                rest = rest[used..].strip_prefix(';').unwrap_or(&rest[used..]);
            } else {
                out.push('&');
            }
        }
        out.push_str(rest);
        let out = percent_encoding::percent_decode_str(&out)
            .decode_utf8_lossy()
            .into_owned();
        if out == s {
            break;
        }
        s = out;
    }
    s
}

fn dangerous_url(v: &str) -> bool {
    let d: String = decode_hard(v)
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && *c != '\u{200b}')
        .collect::<String>()
        .to_lowercase();
    ["javascript:", "vbscript:", "livescript:", "data:"]
        .iter()
        .any(|s| d.starts_with(s))
}

const FORBIDDEN_TAGS: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "form", "base", "meta", "link", "svg", "math",
    "applet", "frame", "frameset", "textarea", "noscript", "template", "input", "button", "select",
    "video", "audio", "source", "isindex", "title", "xml",
];

/// Parse `out` and check it against the safety rules; `what` labels failures.
fn assert_safe(what: &str, out: &str) {
    let doc = parse(out);
    for el in elements(&doc) {
        let e = el.value();
        assert!(
            &*e.name.ns == "http://www.w3.org/1999/xhtml",
            "{what}: foreign element {} in {out:?}",
            e.name()
        );
        assert!(
            !FORBIDDEN_TAGS.contains(&e.name()),
            "{what}: <{}> in {out:?}",
            e.name()
        );
        for (name, value) in e.attrs() {
            let n = name.to_ascii_lowercase();
            assert!(!n.starts_with("on"), "{what}: {n} in {out:?}");
            assert!(
                ![
                    "srcdoc",
                    "formaction",
                    "xlink:href",
                    "dynsrc",
                    "lowsrc",
                    "srcset",
                    "ping",
                    "background",
                    "action",
                    "data",
                    "datasrc",
                    "id",
                    "class"
                ]
                .contains(&n.as_str()),
                "{what}: attribute {n} in {out:?}"
            );
            assert!(!dangerous_url(value), "{what}: {n}={value:?} in {out:?}");
            if n == "style" {
                let s = value.to_ascii_lowercase();
                for bad in ["url(", "expression", "behavior", "binding", "@import", "\\"] {
                    assert!(!s.contains(bad), "{what}: style {value:?} in {out:?}");
                }
            }
        }
    }
    text_level_check(what, out);
}

/// Second, text-level check: text `<` is always escaped in the output, so
/// every literal `<` opens a tag; read every tag's attributes from the raw
/// text, without a parser.
fn text_level_check(what: &str, out: &str) {
    let lower = out.to_ascii_lowercase();
    for bad in [
        "<script", "<iframe", "<object", "<embed", "<svg", "<math", "<base", "<meta", "<link",
        "<form", "<style", "<!--", "<![",
    ] {
        assert!(!lower.contains(bad), "{what}: {bad} in {out:?}");
    }
    let mut rest = lower.as_str();
    while let Some(i) = rest.find('<') {
        let tag_and_more = &rest[i..];
        let mut quote = None;
        let mut end = tag_and_more.len();
        for (j, c) in tag_and_more.char_indices() {
            match (quote, c) {
                (Some(q), _) if c == q => quote = None,
                (None, '"' | '\'') => quote = Some(c),
                (None, '>') => {
                    end = j;
                    break;
                }
                _ => {}
            }
        }
        let tag = &tag_and_more[..end];
        for (name, value) in raw_attributes(tag) {
            assert!(!name.starts_with("on"), "{what}: handler in tag {tag:?}");
            assert!(
                !["srcdoc", "formaction", "xlink:href", "background", "action"].contains(&name),
                "{what}: {name} in tag {tag:?}"
            );
            assert!(
                !dangerous_url(value),
                "{what}: {name}={value:?} in tag {tag:?}"
            );
            if name == "style" {
                for bad in ["url(", "expression", "behavior", "binding", "@import", "\\"] {
                    assert!(!value.contains(bad), "{what}: style in tag {tag:?}");
                }
            }
        }
        rest = &tag_and_more[end.max(1)..];
    }
}

/// Attributes of the raw tag text `tag` (from `<` to before `>`), lower case.
fn raw_attributes(tag: &str) -> Vec<(&str, &str)> {
    let b = tag.as_bytes();
    let mut i = tag
        .find(|c: char| c.is_ascii_whitespace() || c == '/')
        .unwrap_or(tag.len());
    let mut out = Vec::new();
    let is_space = |c: u8| c.is_ascii_whitespace() || c == b'/';
    while i < b.len() {
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        let name_start = i;
        while i < b.len() && !is_space(b[i]) && b[i] != b'=' {
            i += 1;
        }
        let name = &tag[name_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = "";
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let v_start = i + 1;
                i = v_start;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                value = &tag[v_start..i];
                i += 1;
            } else {
                let v_start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = &tag[v_start..i];
            }
        }
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

#[test]
fn the_safety_checks_do_catch_unsafe_html() {
    // The oracle itself must reject what it is meant to reject.
    for bad in [
        "<img src=x onerror=alert(1)>",
        "<p><b ONCLICK='x'>b</b></p>",
        "<a href=\"&amp;#106;avascript:x\">x</a>",
        "<a href=\" java&#9;script:x\">x</a>",
        "<img src=\"DATA:image/png;base64,AA\">",
        "<a href=\"vbscript:x\">x</a>",
        "<p style=\"background:url(x.png)\">x</p>",
        "<p style=\"width:expression(1)\">x</p>",
        "<svg><g/></svg>",
        "<math></math>",
        "<iframe></iframe>",
        "<form></form>",
        "<base href=x>",
        "<p class=x>x</p>",
        "<!-- x -->",
    ] {
        let caught = std::panic::catch_unwind(|| assert_safe("oracle", bad)).is_err();
        assert!(caught, "oracle missed {bad:?}");
    }
    assert_safe(
        "oracle",
        "<p title=\"a onclick=x\">onclick=x javascript:</p>",
    );
}

fn post(html: &str) -> Cleaned {
    Sanitizer::new().clean_post(html)
}

fn comment(html: &str) -> Cleaned {
    Sanitizer::new().clean_comment(html)
}

// ---------------------------------------------------------------- vectors

#[test]
fn there_are_at_least_80_distinct_vectors() {
    let v = vectors();
    let distinct: std::collections::BTreeSet<&String> = v.iter().collect();
    assert!(distinct.len() >= 80, "{} vectors", distinct.len());
    assert_eq!(distinct.len(), v.len(), "duplicate vector");
}

#[test]
fn every_vector_is_safe_as_post_and_as_comment() {
    let s = Sanitizer::new();
    for v in vectors() {
        let p = s.clean_post(&v);
        assert_safe(&format!("post {v:?}"), &p.html);
        let c = s.clean_comment(&v);
        assert_safe(&format!("comment {v:?}"), &c.html);
    }
}

#[test]
fn every_vector_is_safe_inside_spaces_markup() {
    let s = Sanitizer::new();
    for v in vectors() {
        let wrapped = format!(
            "<DIV class=bvMsg id=msgcns!1!2><P align=center><FONT color=red>a {v} b</FONT></P><TABLE><TR><TD>{v}</TD></TR></TABLE></DIV>"
        );
        assert_safe(&format!("post-wrapped {v:?}"), &s.clean_post(&wrapped).html);
        assert_safe(
            &format!("comment-wrapped {v:?}"),
            &s.clean_comment(&wrapped).html,
        );
    }
}

/// Element names and attribute names of `html`, in document order.
fn shape(mode: Mode, html: &str) -> Vec<(String, Vec<String>)> {
    let doc = parse(html);
    elements(&doc)
        .iter()
        .map(|e| {
            let mut a: Vec<String> = e
                .value()
                .attrs()
                .map(|(n, _)| n.to_string())
                // ammonia adds `rel` to comment links itself.
                .filter(|n| !(mode == Mode::Comment && n == "rel"))
                .collect();
            a.sort();
            (e.value().name().to_string(), a)
        })
        .collect()
}

/// ammonia is only the last line of defence: it must not find an element or
/// attribute that the walk let through (or `removed` would be incomplete).
fn assert_walk_agrees_with_ammonia(input: &str) {
    for mode in [Mode::Post, Mode::Comment] {
        let walked = walk::walk(mode, input, None).html;
        let cleaned = policy::builder(mode).clean(&walked).to_string();
        assert_eq!(
            shape(mode, &walked),
            shape(mode, &cleaned),
            "{mode:?} {input:?}"
        );
    }
}

#[test]
fn the_walk_already_agrees_with_ammonia() {
    for v in vectors() {
        assert_walk_agrees_with_ammonia(&v);
    }
    for f in FIXTURES {
        assert_walk_agrees_with_ammonia(f);
    }
}

#[test]
fn pseudo_random_markup_is_safe_and_never_panics() {
    #[rustfmt::skip]
    const TOKENS: &[&str] = &[
        "<", ">", "/", "\"", "'", "=", " ", "<!--", "-->", "<![CDATA[", "]]>", "script", "img",
        "svg", "math", "a", "p", "table", "td", "style", "iframe", "object", "embed", "param",
        "src", "href", "onerror", "onload", "javascript:", "&#106;", "&#x09;", "alert(1)",
        "x", "font", "center", "<o:p>", "noscript", "textarea", "title", "template", "mglyph",
        "mtext", "foreignObject", "expression(", "url(", "style=", "data:", "\n", "\t", "&",
        "&lt;", "http://www.youtube.com/v/abcdefghijk", "select", "option", "plaintext",
        "é(", "宋体", "\u{200b}", "style=\"color:é(1);font-family:宋(\"", "size=+2147483647",
        "size=-2147483648", "&#x1F600;", "&#99999999999;", "%E4%B8", "rgb(", ";", ":",
        "<font size=+99999999999 color=ff0000 face=\"a,'b\",宋\">", "<center>", "<td>",
        "<embed src=//www.youtube.com/v/", "<object><param name=movie value=", "<a href=\"",
        "<a href=http://x.spaces.live.com/api.aspx?wx_action=sendMessage>", "&nbsp;|",
        "<div class=bvMsg>", "<img src=emoticons/a.gif width=", "<p>", "</p>", "<br>",
    ];
    let s = Sanitizer::new();
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..600 {
        let len = 5 + (next() % 60) as usize;
        let input: String = (0..len)
            .map(|_| TOKENS[(next() % TOKENS.len() as u64) as usize])
            .collect();
        assert_safe(&format!("post {input:?}"), &s.clean_post(&input).html);
        assert_walk_agrees_with_ammonia(&input);
        assert_safe(&format!("comment {input:?}"), &s.clean_comment(&input).html);
    }
}

#[test]
fn hostile_shapes_do_not_panic() {
    let s = Sanitizer::new();
    let deep_div = "<div>".repeat(1500) + "deep" + &"</div>".repeat(1500);
    let deep_mixed = "<table><tr><td><ul><li><span><font color=red><b>".repeat(300) + "x";
    let many_attrs = format!("<p {}>x</p>", "onclick=a ".repeat(2000));
    let long_attr = format!("<a href=\"http://x/{}\">x</a>", "a".repeat(200_000));
    for input in [
        "",
        " ",
        "\0",
        "<",
        "&",
        "</p>",
        "<p",
        "<!--",
        "<![CDATA[x]]>",
        "<?xml version='1.0'?>",
        "<!DOCTYPE html><html><head><title>x</title></head><body>b</body></html>",
        "\u{feff}\u{fffd}\u{10ffff}",
        &deep_div,
        &deep_mixed,
        &many_attrs,
        &long_attr,
    ] {
        let p = s.clean_post(input);
        assert_safe("post hostile", &p.html);
        let c = s.clean_comment(input);
        assert_safe("comment hostile", &c.html);
    }
    let p = s.clean_post(&deep_div);
    assert!(p.removed.get("depth-cap") > 0);
    assert!(p.html.contains("deep"));
    let depth = parse(&p.html)
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .map(|e| e.ancestors().count())
        .max()
        .unwrap_or(0);
    assert!(depth <= walk::MAX_DEPTH + 3, "depth {depth}");
}

// ---------------------------------------------------------------- policy

#[test]
fn sanitizer_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Sanitizer>();
    let s = std::sync::Arc::new(Sanitizer::default());
    let handles: Vec<_> = (0..2)
        .map(|i| {
            let s = std::sync::Arc::clone(&s);
            std::thread::spawn(move || s.clean_post(&format!("<p>{i}<script>x</script></p>")))
        })
        .collect();
    for h in handles {
        let out = h.join().expect("thread");
        assert_eq!(out.removed.get("tag:script"), 1);
    }
}

#[test]
fn both_builders_construct_and_clean_without_panicking() {
    // ammonia asserts on contradictory settings only when cleaning.
    for mode in [Mode::Post, Mode::Comment] {
        let b = policy::builder(mode);
        let out = b.clean("<p><a href=http://x/ rel=nofollow>x</a><script>y</script></p>");
        assert!(!out.to_string().contains("script"));
    }
    for t in policy::DROP_WITH_CONTENT {
        assert!(!policy::POST_TAGS.contains(t), "{t}");
        assert!(!policy::COMMENT_TAGS.contains(t), "{t}");
    }
}

#[test]
fn removed_counts_scripts_and_handlers() {
    let out = post("<p onclick=\"go()\">a<script>one()</script>b<SCRIPT>two()</SCRIPT></p>");
    assert_eq!(out.removed.get("tag:script"), 2);
    assert_eq!(out.removed.get("attr:onclick"), 1);
    assert_eq!(out.html, "<p>ab</p>");
}

#[test]
fn removed_api() {
    let mut a = Removed::default();
    assert!(a.is_empty());
    a.add("tag:script");
    a.add("tag:script");
    let mut b = Removed::default();
    b.add("comment");
    b.add("tag:script");
    a.merge(&b);
    assert_eq!(a.get("tag:script"), 3);
    assert_eq!(a.get("comment"), 1);
    assert_eq!(a.total(), 4);
    assert!(!a.is_empty());
}

// ---------------------------------------------------------------- formatting

const MSHTML: &str = "<DIV class=bvMsg id=msgcns!1234ABCD!123>\
<P align=right><STRONG>Right</STRONG> text</P>\
<FONT color=#ff0000 size=4 face=\"Arial, Comic Sans MS\">Red big</FONT>\
<CENTER>Centered <IMG src=\"http://tkfiles.storage.msn.com/x1pABC\" width=120 height=90 border=0>\
<TABLE border=1><TR><TD>in center</TD></TR></TABLE></CENTER>\
<TABLE align=center border=0 cellPadding=2 cellSpacing=0 width=\"100%\"><TBODY><TR>\
<TD vAlign=top align=left width=200>cell<TABLE align=right border=1 bgcolor=#FFFFCC><TR><TD colSpan=2>inner</TD></TR></TABLE></TD>\
</TR></TBODY></TABLE><P dir=rtl lang=he>שלום</P></DIV>";

const WORD: &str = "<p class=MsoNormal style=\"mso-bidi-font-weight:normal;color:red\">\
<b style=\"mso-bidi-font-weight:normal\">Bold<o:p></o:p></b></p>\
<p class=MsoNormal><o:p>&nbsp;</o:p></p>\
<p class=MsoNormal style=\"MARGIN: 0cm 0cm 0pt; TEXT-INDENT: 21pt\"><st1:City w:st=\"on\"><st1:place w:st=\"on\">Seattle</st1:place></st1:City> \
<span lang=EN-US style=\"FONT-SIZE: 10.5pt; FONT-FAMILY: 'Times New Roman'; mso-fareast-font-family: 宋体\">text</span></p>\
<xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml>";

const PHOTO_TABLE: &str = "<table border=\"0\" cellspacing=\"0\" cellpadding=\"0\"><tr>\
<td valign=\"top\"><a href=\"http://blufiles.storage.live.com/y1pBIG\" target=\"_blank\" rel=\"WLPP;url=http://blufiles.storage.live.com/y1pBIG;cnsid=cns!1!2\"><img src=\"http://blufiles.storage.live.com/y1pTHUMB\" border=\"0\"></a></td>\
<td width=\"15\"></td>\
<td valign=\"top\"><a rel=\"WLPP;url=x\" href=\"image[7].png\" target=\"_blank\"><img src=\"image_thumb[3] 61095F84.png\" alt=\"\"></a></td></tr></table>";

const FIXTURES: &[&str] = &[MSHTML, WORD, PHOTO_TABLE, CHROME, VIDEOS];

#[test]
fn mshtml_formatting_survives() {
    let out = post(MSHTML);
    let doc = parse(&out.html);
    assert_safe("mshtml", &out.html);
    // bvMsg wrapper unwrapped, no class/id anywhere.
    assert_eq!(out.removed.get("chrome:bvMsg"), 1);
    assert!(!out.html.contains("bvMsg") && !out.html.contains("msgcns"));
    assert!(out.html.starts_with("<p align=\"right\">"), "{}", out.html);
    // <P align=right> and <STRONG>
    let p = doc.select(&sel("p[align=right] > strong")).next();
    assert!(p.is_some(), "{}", out.html);
    // <FONT> -> span with color, size, face
    let span = doc.select(&sel("span")).next().expect("span");
    let style = span.value().attr("style").expect("style");
    assert!(style.contains("color:#ff0000"), "{style}");
    assert!(style.contains("font-size:large"), "{style}");
    assert!(style.contains("font-family:Arial"), "{style}");
    assert!(style.contains("Comic Sans MS"), "{style}");
    assert_eq!(span.text().collect::<String>(), "Red big");
    assert_eq!(out.removed.get("font->span"), 1);
    // <CENTER> -> centred div; its table is centred too; image kept.
    let center = doc
        .select(&sel("div"))
        .find(|d| d.value().attr("style") == Some("text-align:center"))
        .expect("center div");
    let img = center.select(&sel("img")).next().expect("img");
    assert_eq!(img.value().attr("width"), Some("120"));
    assert_eq!(img.value().attr("border"), Some("0"));
    let t = center
        .select(&sel("table"))
        .next()
        .expect("table in center");
    assert_eq!(t.value().attr("align"), Some("center"));
    // Outer table with nested table, both keeping their alignment.
    let outer = doc
        .select(&sel("table[width]"))
        .next()
        .expect("outer table");
    assert_eq!(outer.value().attr("align"), Some("center"));
    assert_eq!(outer.value().attr("cellpadding"), Some("2"));
    let td = outer.select(&sel("td[valign=top]")).next().expect("td");
    assert_eq!(td.value().attr("align"), Some("left"));
    let inner = td.select(&sel("table")).next().expect("nested table");
    assert_eq!(inner.value().attr("align"), Some("right"));
    assert_eq!(inner.value().attr("bgcolor"), Some("#ffffcc"));
    assert!(inner.select(&sel("td[colspan='2']")).next().is_some());
    // RTL paragraph.
    assert!(doc.select(&sel("p[dir=rtl][lang=he]")).next().is_some());
}

#[test]
fn word_paste_debris_goes_formatting_stays() {
    let out = post(WORD);
    assert_safe("word", &out.html);
    let doc = parse(&out.html);
    let first = doc.select(&sel("p")).next().expect("p");
    assert_eq!(first.value().attr("style"), Some("color:red"));
    assert!(first.select(&sel("b")).next().is_some());
    assert!(!out.html.contains("mso"), "{}", out.html);
    assert!(!out.html.contains("o:p") && !out.html.contains("st1"));
    assert!(
        !out.html.contains("Normal"),
        "xml island leaked: {}",
        out.html
    );
    assert!(out.html.contains("Seattle"));
    // Word's blank line stays.
    assert!(out.html.contains("<p>&nbsp;</p>"), "{}", out.html);
    let span = doc.select(&sel("span")).next().expect("span");
    let style = span.value().attr("style").expect("style");
    assert!(style.contains("font-size:10.5pt"), "{style}");
    assert!(style.contains("Times New Roman"), "{style}");
    assert_eq!(out.removed.get("style:mso-*"), 3);
    assert_eq!(out.removed.get("tag:o:p"), 2);
    assert!(out.removed.get("attr:class") >= 3);
    let third = doc.select(&sel("p")).nth(2).expect("third p");
    let st = third.value().attr("style").expect("style");
    assert!(st.contains("text-indent:21pt") && st.contains("margin:0cm 0cm 0pt"));
}

#[test]
fn spaces_photo_table_keeps_layout_and_drops_wlpp() {
    let out = post(PHOTO_TABLE);
    assert_safe("photo", &out.html);
    let doc = parse(&out.html);
    let a: Vec<_> = doc.select(&sel("a")).collect();
    assert_eq!(a.len(), 2);
    for link in &a {
        assert_eq!(link.value().attr("target"), Some("_blank"));
        assert_eq!(link.value().attr("rel"), Some("noopener"));
        assert!(link.select(&sel("img[src]")).next().is_some());
    }
    assert_eq!(out.removed.get("rel:WLPP"), 2);
    // The empty spacer cell is structural: kept.
    assert!(doc.select(&sel("td[width='15']")).next().is_some());
    // Relative Live Writer names are left for the media stage, untouched.
    assert_eq!(a[1].value().attr("href"), Some("image[7].png"));
    let thumb = a[1].select(&sel("img")).next().expect("img");
    assert_eq!(
        thumb.value().attr("src"),
        Some("image_thumb[3] 61095F84.png")
    );
}

#[test]
fn empty_paragraphs_only_go_when_removal_emptied_them() {
    let out = post("<p><script>x()</script></p><p>&nbsp;</p><p></p><div><iframe srcdoc=x></iframe> </div><p>keep</p>");
    assert_eq!(out.html, "<p>&nbsp;</p><p></p><p>keep</p>");
    assert_eq!(out.removed.get("empty:p"), 1);
    assert_eq!(out.removed.get("empty:div"), 1);
    // Nested: the span empties, then the paragraph.
    let out = post("<p><span class=x><o:p></o:p></span></p>x");
    assert_eq!(out.html, "x");
}

#[test]
fn font_edge_cases() {
    let out = post("<font>plain</font><font size=+2>big</font><font size=9 color=blue>max</font><font face=\"宋体\">cn</font><font color=ff0000>hex</font><font color=\"javascript:x\">bad</font>");
    assert_eq!(
        out.html,
        "plain<span style=\"font-size:x-large\">big</span>\
<span style=\"color:blue;font-size:xxx-large\">max</span>\
<span style=\"font-family:&quot;宋体&quot;\">cn</span>\
<span style=\"color:#ff0000\">hex</span>bad"
    );
    assert_eq!(attrs::font_size("1"), Some("x-small"));
    assert_eq!(attrs::font_size("7"), Some("xxx-large"));
    assert_eq!(attrs::font_size("-1"), Some("small"));
    assert_eq!(attrs::font_size("big"), None);
}

#[test]
fn nobr_and_legacy_elements() {
    let out = post("<span class=MsoNormal style=\"mso-spacerun:yes\">&nbsp; </span>");
    assert_eq!(out.html, "&nbsp; ");
    let out = post("<nobr>a b</nobr><acronym title=\"x\">X</acronym><xmp><b>lit</b></xmp><menu><li>m</li></menu><address>addr</address>");
    assert_eq!(
        out.html,
        "<span style=\"white-space:nowrap\">a b</span><abbr title=\"x\">X</abbr>\
<pre>&lt;b&gt;lit&lt;/b&gt;</pre><ul><li>m</li></ul><div>addr</div>"
    );
}

#[test]
fn urls_in_posts() {
    let out = post("<a href=\"../2007/x.html#top\">r</a><a href=\"mailto:me@example.com\">m</a><a href=\"HTTPS://example.com/a?b=1&amp;c=2\">h</a><img src=\"mailto:x@y\"><a name=\"top\">t</a><a href=\"ftp://x/\">f</a>");
    let doc = parse(&out.html);
    let hrefs: Vec<_> = doc
        .select(&sel("a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        hrefs,
        [
            "../2007/x.html#top",
            "mailto:me@example.com",
            "HTTPS://example.com/a?b=1&c=2"
        ]
    );
    assert!(doc.select(&sel("img")).next().is_none());
    assert!(doc.select(&sel("a[name=top]")).next().is_some());
    assert!(out.html.contains('f') && !out.html.contains("ftp"));
    assert_eq!(out.removed.get("url:mailto"), 1);
    assert_eq!(out.removed.get("url:ftp"), 1);
}

#[test]
fn url_classification() {
    use url::UrlClass::*;
    let c = |s: &str| url::classify(s).0;
    assert_eq!(c("http://x"), Http);
    assert_eq!(c(" HTTPS://x "), Https);
    assert_eq!(c("mailto:a@b"), Mailto);
    assert_eq!(c("//cdn.example/x"), Relative);
    assert_eq!(c("a/b:c"), Relative);
    assert_eq!(c("#x"), Relative);
    assert_eq!(c("java\tscript:x"), Bad("javascript".into()));
    assert_eq!(c("&#106;avascript:x"), Bad("javascript".into()));
    assert_eq!(c("%6A%61vascript:x"), Bad("javascript".into()));
    assert_eq!(c("data:image/png;base64,AA"), Bad("data".into()));
    assert_eq!(c("jav\u{200b}ascript:x"), Bad("javascript".into()));
    assert_eq!(c("\u{1}:"), Relative);
    assert_eq!(
        url::decode_entities("&#x6A&#97;&colon;&bogus;"),
        "ja:&bogus;"
    );
}

#[test]
fn css_filter() {
    let mut r = Tally::default();
    assert_eq!(
        css::filter("COLOR: Red; mso-x: 1; position:absolute; width:expression(1); background: yellow; font-family: \"a;b\"", &mut r),
        "color:Red;background:yellow;font-family:\"a;b\""
    );
    assert_eq!(r.removed.get("style:mso-*"), 1);
    assert_eq!(r.removed.get("style:position"), 1);
    assert_eq!(r.removed.get("style:unsafe-value"), 1);
    for bad in [
        "color:rgb(1,2,3)x;background:image-set(x)",
        "background:url(x)",
        "color:red\\9",
        "font-family:'x",
        "width:1px/**/",
        "color:red !important; background:\\75rl(x)",
        "\\62 ehavior:url(x)",
    ] {
        assert!(
            !css::is_safe(bad) || css::filter(bad, &mut r) != bad,
            "{bad}"
        );
    }
    assert!(css::is_safe("color:rgb(1, 2, 3) !important;margin:0 auto"));
    assert!(!css::is_safe("color:é(1)"));
    assert_eq!(attrs::font_size("+2147483647"), Some("xxx-large"));
    assert_eq!(attrs::font_size("-2147483648"), Some("x-small"));
    assert_eq!(
        css::filter("color:red !important", &mut r),
        "color:red !important"
    );
}

// ---------------------------------------------------------------- video

const VIDEOS: &str = "<p>Intro</p>\
<object width=\"425\" height=\"344\"><param name=\"movie\" value=\"http://www.youtube.com/v/dQw4w9WgXcQ&hl=en&fs=1\"></param><param name=\"allowFullScreen\" value=\"true\"></param>\
<embed src=\"http://www.youtube.com/v/dQw4w9WgXcQ&hl=en&fs=1\" type=\"application/x-shockwave-flash\" width=\"425\" height=\"344\"></embed></object>\
<EMBED src=\"http://www.youtube.com/v/abcdefghijk\" type=application/x-shockwave-flash>\
<iframe width=\"560\" height=\"315\" src=\"http://www.youtube.com/embed/A1b2C3d4E5_\" frameborder=\"0\"></iframe>\
<object><param name=movie value=\"http://vimeo.com/moogaloop.swf?clip_id=123456&server=vimeo.com\"></object>\
<iframe src=\"//player.vimeo.com/video/7654321?title=0\"></iframe>\
<object><param name=movie value=\"http://www.dailymotion.com/swf/video/x7tgad0\"></object>\
<embed src=\"http://images.soapbox.msn.com/flash/soapbox1_1.swf\" flashvars=\"c=v&v=1A2B3C4D-0000-4B5C-9D8E-7F6A5B4C3D2E&mkt=en-US\">\
<embed src=\"http://www.example.com/player.swf?f=1\">\
<embed src=\"javascript:alert(1)\"><object classid=\"clsid:x\"></object>";

#[test]
fn video_embeds_become_urls_or_links() {
    let out = post(VIDEOS);
    assert_safe("videos", &out.html);
    assert_eq!(
        out.html,
        "<p>Intro</p>\
<p>https://www.youtube.com/watch?v=dQw4w9WgXcQ</p>\
<p>https://www.youtube.com/watch?v=abcdefghijk</p>\
<p>https://www.youtube.com/watch?v=A1b2C3d4E5_</p>\
<p>https://vimeo.com/123456</p>\
<p>https://vimeo.com/7654321</p>\
<p>https://www.dailymotion.com/video/x7tgad0</p>\
<p><a href=\"http://video.msn.com/video.aspx?vid=1a2b3c4d-0000-4b5c-9d8e-7f6a5b4c3d2e\">http://video.msn.com/video.aspx?vid=1a2b3c4d-0000-4b5c-9d8e-7f6a5b4c3d2e</a></p>"
    );
    let summary: Vec<(&str, bool)> = out
        .embeds
        .iter()
        .map(|e| (e.provider.as_str(), e.recognised))
        .collect();
    assert_eq!(
        summary,
        [
            ("youtube", true),
            ("youtube", true),
            ("youtube", true),
            ("vimeo", true),
            ("vimeo", true),
            ("dailymotion", true),
            ("msn", false),
            ("www.example.com", false)
        ]
    );
    assert_eq!(out.removed.get("embed:youtube"), 3);
    assert_eq!(out.removed.get("embed:msn"), 1);
    assert_eq!(out.removed.get("embed:other"), 1);
    assert_eq!(out.removed.get("embed:flash-player"), 2);
    assert_eq!(out.removed.get("tag:embed"), 1);
    assert_eq!(out.removed.get("url:javascript"), 1);
    assert_eq!(out.removed.get("tag:object"), 1);
}

#[test]
fn a_flash_player_is_never_the_visible_result() {
    // Soapbox: the player beside its own "Video: …" page link; the link
    // stays once and the player address shows nowhere.
    let soapbox = "<div>Clip:</div><div><embed src=\"http://images.soapbox.msn.com/flash/soapbox1_1.swf\" \
type=\"application/x-shockwave-flash\" flashvars=\"c=v&amp;v=3c8b3d6e-1f2a-4b5c-9d8e-7f6a5b4c3d2e&amp;fr=msnvideo\"></embed><br>\
<a href=\"http://video.msn.com/video.aspx?vid=3c8b3d6e-1f2a-4b5c-9d8e-7f6a5b4c3d2e\">Vid\u{e9}o : Chat</a></div>";
    let out = post(soapbox);
    assert!(!out.html.contains(".swf"), "{}", out.html);
    assert_eq!(
        out.html.matches("video.aspx?vid=3c8b3d6e").count(),
        1,
        "{}",
        out.html
    );
    assert!(out.html.contains("Vid\u{e9}o : Chat"));
    assert_eq!(out.removed.get("embed:flash-player"), 1);
    // An <object> player of another host with no page to keep: removed,
    // counted, never a link.
    let other = "<p>Film:</p><object><param name=\"movie\" value=\"http://flash.example.jp/player.swf?id=9\">\
<param name=\"FlashVars\" value=\"file=clip.flv\"></object><p>Ende</p>";
    let out = post(other);
    assert!(!out.html.contains("swf"), "{}", out.html);
    assert_eq!(out.html, "<p>Film:</p><p>Ende</p>");
    assert_eq!(out.removed.get("embed:flash-player"), 1);
    assert_eq!(out.embeds.len(), 1, "the dropped player is still listed");
}

#[test]
fn editor_wraps_become_spaces_outside_pre() {
    let html = "<P>Ein langer Satz, den der Editor\r\nmitten im Satz umbrochen hat.</P>\r\n<p>\u{4eca}\u{5929}\n  \u{5929}\u{6c14}</p>\
<div>Zeile 1<br>\nZeile 2</div><pre>a  b\n\nc</pre>";
    let out = post(html);
    assert_eq!(
        out.html,
        "<p>Ein langer Satz, den der Editor mitten im Satz umbrochen hat.</p> <p>\u{4eca}\u{5929} \u{5929}\u{6c14}</p>\
<div>Zeile 1<br> Zeile 2</div><pre>a  b\n\nc</pre>"
    );
    let c = comment("Nice\r\nphoto");
    assert_eq!(c.html, "Nice photo");
}

#[test]
fn embed_inside_a_paragraph_goes_on_its_own_line() {
    let out = post("<p>Watch <embed src=\"http://www.youtube.com/v/dQw4w9WgXcQ\"> now</p>");
    assert_eq!(
        out.html,
        "<p>Watch \nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n now</p>"
    );
    // In a comment the same rules apply; the MSN link gets nofollow ugc.
    let c = comment("<embed src=\"http://soapbox.msn.com/video.aspx?vid=1\">");
    assert_eq!(
        c.html,
        "<p><a href=\"http://soapbox.msn.com/video.aspx?vid=1\" rel=\"nofollow ugc\">http://soapbox.msn.com/video.aspx?vid=1</a></p>"
    );
    assert_eq!(c.embeds.len(), 1);
    assert!(!c.embeds[0].recognised);
}

// ---------------------------------------------------------------- comments

#[test]
fn comment_links_get_nofollow_ugc() {
    let out = comment("<a href=\"http://friend.example/\" rel=\"me\" target=_blank title=t>my blog</a> <a href=\"/blog/x\">rel</a> <a href=\"javascript:x\">js</a> <a href=\"mailto:a@b.c\">mail</a>");
    assert_eq!(
        out.html,
        "<a href=\"http://friend.example/\" rel=\"nofollow ugc\">my blog</a> rel js <a href=\"mailto:a@b.c\" rel=\"nofollow ugc\">mail</a>"
    );
    assert_eq!(out.removed.get("url:relative"), 1);
    assert_eq!(out.removed.get("url:javascript"), 1);
}

#[test]
fn comment_table_is_flattened_to_text() {
    let out = comment("Hi<table border=1><tr><td>a</td><td><b>b</b></td></tr><tr><td>c</td></tr></table>bye<div>d</div><ul><li>e</li><li>f</li></ul>");
    let doc = parse(&out.html);
    assert!(doc
        .select(&sel("table, tr, td, div, ul, li"))
        .next()
        .is_none());
    assert_eq!(out.html, "Hi<br>a <b>b</b> <br>c <br>bye<br>d<br>e<br>f");
}

#[test]
fn comment_images_only_emoticons() {
    let out = comment("<img src=\"http://spaces.live.com/rte/emoticons/smile_regular.gif\"><img src=\"../../rte/emoticons/wink.gif\" alt=\";)\"><img src=\"http://x/s.gif\" width=19 height=19><img src=\"http://x/big.jpg\" width=800 height=600><img src=\"http://x/photo.jpg\"><img src=\"http://x/emoticons/huge.gif\" width=300><img src=\"javascript:x\" width=10 height=10>");
    let doc = parse(&out.html);
    let srcs: Vec<_> = doc
        .select(&sel("img"))
        .filter_map(|i| i.value().attr("src"))
        .collect();
    assert_eq!(
        srcs,
        [
            "http://spaces.live.com/rte/emoticons/smile_regular.gif",
            "../../rte/emoticons/wink.gif",
            "http://x/s.gif"
        ]
    );
    assert_eq!(out.removed.get("tag:img"), 4);
}

#[test]
fn comment_keeps_only_basic_formatting() {
    let out = comment("<p style=color:red class=x><font color=red>red</font> <u>u</u> <strong>s</strong> <i>i</i><br><span>x</span></p><h1>T</h1>");
    assert_eq!(out.html, "<p>red u <strong>s</strong> <i>i</i><br>x</p>T");
}

// ---------------------------------------------------------------- chrome

const CHROME: &str = "<div class=\"bvMsg\" id=\"msgcns!1F2E3D!204\"><p>Body text</p></div>\
<div class=\"footerLinks\"><a bvItemType=\"post\"href=\"#post\">Add comment</a>&nbsp;| \
<a href=\"http://cid-1f2e3d4c5b6a7980.spaces.live.com/api.aspx?wx_action=sendMessage&amp;wxp_toCid=ABC\">Send message</a>&nbsp;| \
<a href=\"javascript:BlogIt('cns!1F2E3D!204')\">Blog it</a></div>\
<p><a href=\"http://x.spaces.live.com/PersonalSpace.aspx?_c02_owner=1&amp;_c=BlogPart\">Edit</a></p>\
<p>See <a href=\"http://x.spaces.live.com/PersonalSpace.aspx?_c11_BlogPart_BlogPart=blogentry&amp;_c=BlogPart&amp;handle=cns!1!2\">edit entry</a> or not.</p>";

#[test]
fn spaces_chrome_is_removed() {
    let out = post(CHROME);
    assert_safe("chrome", &out.html);
    assert_eq!(
        out.html,
        "<p>Body text</p><div><a href=\"#post\">Add comment</a></div><p>See  or not.</p>"
    );
    assert_eq!(out.removed.get("chrome:sendMessage"), 1);
    assert_eq!(out.removed.get("chrome:BlogIt"), 1);
    assert_eq!(out.removed.get("chrome:ownerEdit"), 2);
    assert_eq!(out.removed.get("chrome:bvMsg"), 1);
    assert_eq!(out.removed.get("empty:p"), 1);
}

#[test]
fn bvmsg_wrapper_is_unwrapped() {
    let out = post("<div class=\"bvMsg\" id=\"msgcns!1!2\"><p>Hello</p>world</div>");
    assert_eq!(out.html, "<p>Hello</p>world");
    let out = post("<DIV id=msgcns!ABC!9>x</DIV>");
    assert_eq!(out.html, "x");
}

#[test]
fn the_url_map_rewrites_only_matching_urls_in_the_same_walk() {
    let html = r#"<p><a href="http://a/blog/cns!X!1.entry">one</a> <img src="img/a.jpg" alt="A"><a href="http://keep">k</a><img src="img/gone.jpg"></p>"#;
    let map = |_t: &str, attr: &str, url: &str| match (attr, url) {
        ("href", u) if u.contains(".entry") => Some(Rewrite::Set("http://new/?name=one".into())),
        ("src", "img/a.jpg") => Some(Rewrite::Set("http://m/2010/01/a.jpg".into())),
        ("src", "img/gone.jpg") => Some(Rewrite::Drop),
        _ => None,
    };
    let out = Sanitizer::new().clean_post_with(html, &map);
    assert!(!out.html.contains("gone"), "{}", out.html);
    assert!(
        out.html.contains(r#"href="http://new/?name=one""#),
        "{}",
        out.html
    );
    assert!(
        out.html.contains(r#"src="http://m/2010/01/a.jpg""#),
        "{}",
        out.html
    );
    assert!(out.html.contains(r#"href="http://keep""#), "{}", out.html);
    // A dropped image is the media stage's report, not a sanitizer change.
    assert_eq!(out.removed.get("tag:img"), 0);
}

#[test]
fn a_mapped_url_is_checked_like_any_other() {
    let map = |_t: &str, _a: &str, _u: &str| Some(Rewrite::Set("javascript:alert(1)".into()));
    let out = Sanitizer::new().clean_post_with(r#"<a href="http://x/">x</a>"#, &map);
    assert!(!out.html.contains("javascript"), "{}", out.html);
}
