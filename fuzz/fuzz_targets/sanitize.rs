//! Arbitrary text straight into the sanitizer (both policies), without
//! needing the Spaces entry markup that `entry_parser` must first find.
//!
//! Invariants checked: nothing panics; the output contains no `<script`
//! (any case); re-parsed with scraper it has no `<script>` element and no
//! attribute whose name starts with `on`.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use spaces2wxr::internals::Sanitizer;

fn sanitizer() -> &'static Sanitizer {
    static S: OnceLock<Sanitizer> = OnceLock::new();
    S.get_or_init(Sanitizer::new)
}

fn check_clean(what: &str, input: &str, out: &str) {
    if out.to_ascii_lowercase().contains("<script") {
        panic!("{what}: sanitized output contains <script\ninput: {input:?}\noutput: {out:?}");
    }
    let doc = scraper::Html::parse_fragment(out);
    for node in doc.tree.nodes() {
        let scraper::Node::Element(el) = node.value() else {
            continue;
        };
        if el.name().eq_ignore_ascii_case("script") {
            panic!("{what}: <script> element after re-parse\ninput: {input:?}\noutput: {out:?}");
        }
        for (name, value) in el.attrs() {
            if name.to_ascii_lowercase().starts_with("on") {
                panic!(
                    "{what}: event handler attribute {name}={value:?} on <{}>\ninput: {input:?}\noutput: {out:?}",
                    el.name()
                );
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let s = sanitizer();
    check_clean("clean_post", &html, &s.clean_post(&html).html);
    check_clean("clean_comment", &html, &s.clean_comment(&html).html);
});
