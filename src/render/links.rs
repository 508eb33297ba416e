//! Rewrite the URLs inside a body: links to other entries of the blog
//! become links to their new WordPress posts, and (with the media stage)
//! images become bundle URLs.
//!
//! The fragment is parsed with html5ever, the `href`/`src` attributes are
//! changed in the tree, and the tree is serialised again; sanitizing runs
//! afterwards on the result and keeps every http(s) URL, so neither step
//! undoes the other.

use scraper::Html;

/// What to do with one URL attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rewrite {
    /// Give the attribute this value.
    Set(String),
    /// Remove the whole element (an image that is gone, on request).
    Drop,
}

/// Decides the fate of one URL attribute; `None` keeps it.
pub trait UrlMap {
    /// `tag` is the element name, `attr` the attribute name.
    fn map(&self, tag: &str, attr: &str, url: &str) -> Option<Rewrite>;
}

impl<F: Fn(&str, &str, &str) -> Option<Rewrite>> UrlMap for F {
    fn map(&self, tag: &str, attr: &str, url: &str) -> Option<Rewrite> {
        self(tag, attr, url)
    }
}

/// Apply `map` to every `href` and `src` of `html`; returns the new HTML and
/// the number of attributes changed.
pub fn rewrite_urls(html: &str, map: &dyn UrlMap) -> (String, usize) {
    let mut doc = Html::parse_fragment(html);
    let ids: Vec<_> = doc
        .tree
        .nodes()
        .filter(|n| n.value().is_element())
        .map(|n| n.id())
        .collect();
    let mut changed = 0;
    for id in ids {
        let Some(mut node) = doc.tree.get_mut(id) else {
            continue;
        };
        let scraper::Node::Element(el) = node.value() else {
            continue;
        };
        let tag = el.name.local.to_string();
        let mut drop = false;
        for (name, value) in el.attrs.iter_mut() {
            let attr = &*name.local;
            if attr != "href" && attr != "src" {
                continue;
            }
            match map.map(&tag, attr, value) {
                Some(Rewrite::Set(new)) if *new != **value => {
                    *value = new.into();
                    changed += 1;
                }
                Some(Rewrite::Drop) => drop = true,
                _ => {}
            }
        }
        if drop {
            node.detach();
            changed += 1;
        }
    }
    if changed == 0 {
        return (html.to_string(), 0);
    }
    crate::parse::dom::split_costly_texts(&mut doc);
    (doc.root_element().inner_html(), changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_matching_urls() {
        let html = r#"<p><a href="http://a/blog/cns!X!1.entry">one</a> <img src="img/a.jpg" alt="A"><a href="http://keep">k</a></p>"#;
        let map = |_t: &str, attr: &str, url: &str| match (attr, url) {
            ("href", u) if u.contains(".entry") => Some(Rewrite::Set("http://new/?p=1".into())),
            ("src", "img/a.jpg") => Some(Rewrite::Set("http://m/2010/01/a.jpg".into())),
            ("src", "img/gone.jpg") => Some(Rewrite::Drop),
            _ => None,
        };
        let html = format!("{html}<img src=\"img/gone.jpg\">");
        let (out, n) = rewrite_urls(&html, &map);
        assert_eq!(n, 3);
        assert!(!out.contains("gone"), "{out}");
        assert!(out.contains(r#"href="http://new/?p=1""#), "{out}");
        assert!(out.contains(r#"src="http://m/2010/01/a.jpg""#), "{out}");
        assert!(out.contains(r#"href="http://keep""#), "{out}");
    }

    #[test]
    fn untouched_html_is_returned_verbatim() {
        let html = "<P>Upper <B>case</B>";
        assert_eq!(
            rewrite_urls(html, &|_: &str, _: &str, _: &str| None),
            (html.to_string(), 0)
        );
    }
}
