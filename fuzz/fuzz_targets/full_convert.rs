//! Arbitrary bytes as a one-file archive folder (`blog.html`) through the
//! whole pipeline; the WXR it writes must be well-formed XML.
//!
//! Invariants checked: nothing panics; when `convert` succeeds, there is
//! one `.xml` file per space it reports (in the output folder, or in each
//! space's folder) and each parses with roxmltree.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    std::fs::create_dir(&input).expect("mkdir in");
    std::fs::write(input.join("blog.html"), data).expect("write blog.html");
    let cfg = spaces2wxr::Config::new(&input, &out);
    let Ok(summary) = spaces2wxr::convert(&cfg) else {
        return;
    };
    // One WXR per space: OUT/<space>.xml, or OUT/<space>/<space>.xml when
    // the input held several blogs; every one must be well-formed, and no
    // other .xml may stand beside them.
    let mut xmls = 0;
    let mut dirs = vec![out.clone()];
    dirs.extend(summary.spaces.iter().filter(|s| !s.dir.is_empty()).map(|s| out.join(&s.dir)));
    for dir in dirs {
        for e in std::fs::read_dir(&dir).expect("read out dir").flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "xml") {
                xmls += 1;
                let text = std::fs::read_to_string(&p).expect("WXR is not UTF-8");
                let opts = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
                if let Err(err) = roxmltree::Document::parse_with_options(&text, opts) {
                    panic!("WXR is not well-formed: {err}\n{text}");
                }
            }
        }
    }
    assert_eq!(
        xmls,
        summary.spaces.len(),
        "convert succeeded for {} spaces but wrote {xmls} .xml files",
        summary.spaces.len()
    );
});
