//! Cut a page into entries before any DOM is built.
//!
//! A page is read once with html5ever's tokenizer (no tree builder), in
//! pieces as it arrives, so a page never has to be held whole. The
//! [`Splitter`] keeps its own stack of open elements and watches start tags
//! for entry markers (the same ones [`super::entry`] reads: `#msgcns!X!N`,
//! `#subjcns!X!N`, `#entrycns!X!N`, `.bvEntry[bv:cns]`, `#LastMDatecns!X!N`).
//! An entry runs from its first marker to the first marker of the next
//! entry, exactly the range the entry reader takes on a whole page. Each
//! range is handed out as a [`Cut`]: the start tags of the elements open
//! where it begins (so the entry sits at the same place in the tree as on the
//! page), the heading right before a message block when the block is the
//! entry's first marker, and the entry's own text. Only the text of the
//! entry being read is kept, so memory follows the largest entry.
//!
//! One entry's broken markup cannot reach the next: an element whose text is
//! not markup (`<textarea>`, `<title>`, `<style>`, `<xmp>`, `<plaintext>`,
//! `<noscript>`, `<iframe>`, `<script>`…) that is still open where another
//! entry's start tag appears is closed there, and the tokenizer starts anew
//! at that tag. Elements the tree builder would let swallow what follows
//! (`<select>`) do not matter here: the tokenizer sees every tag.
//!
//! The tokenizer is told the end of each tag by feeding it the text one `>`
//! at a time: a tag token can only end at a `>`, so the token that comes out
//! of a piece ends where the piece ends, and starts at the first `<` and
//! letter after the previous token.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::{local_name, Attribute, LocalName};

use super::depth;
use super::entry::space_host;
use super::ids::{self, SpacesId};

/// One entry's text with what it needs of the page around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// The entry's id, from its message block.
    pub id: SpacesId,
    /// Where its first marker starts, in bytes of the decoded page.
    pub at: usize,
    /// A document to parse alone: the open elements' start tags, the
    /// heading before the message block when it comes first, the entry.
    pub html: String,
}

/// Something the splitter noticed that the report should say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// An element whose text is not markup was still open where the next
    /// entry starts; it was closed there.
    Unclosed {
        /// The element's name.
        element: String,
        /// Where its start tag is.
        opened: usize,
        /// Where the next entry's tag is, at which it was closed.
        closed: usize,
    },
    /// Markers of an entry (its title or container) without a message
    /// block: the entry cannot be read.
    NoBody {
        /// The entry's id.
        id: SpacesId,
        /// Where its first marker is.
        at: usize,
    },
}

/// What the page as a whole showed, once all of it was read.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Space host names in the page's links, most frequent first.
    pub hosts: Vec<String>,
    /// Remarks for the report.
    pub notes: Vec<Note>,
}

/// Why a page could not be cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// One tag has so many attributes that tokenizing it would take
    /// minutes (the tokenizer compares each new attribute with all others).
    #[error("a tag holds about {0} attributes")]
    TooManyAttributes(usize),
}

/// Tag text in the making is measured for attributes once it is this long,
/// then each time it doubles.
const FIRST_TAG_CHECK: usize = 8 * 1024;

/// A heading farther than this before a message block is not kept for it.
const MAX_LEAD: usize = 64 * 1024;

/// Open elements searched for the one an end tag closes.
const END_TAG_REACH: usize = 256;

/// Elements without content.
fn is_void(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("area")
            | local_name!("base")
            | local_name!("br")
            | local_name!("col")
            | local_name!("embed")
            | local_name!("hr")
            | local_name!("img")
            | local_name!("input")
            | local_name!("link")
            | local_name!("meta")
            | local_name!("param")
            | local_name!("source")
            | local_name!("track")
            | local_name!("wbr")
            | local_name!("keygen")
    )
}

fn is_heading(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
    )
}

/// Start tags that close an open `<p>`, as the tree builder does.
fn closes_p(name: &LocalName) -> bool {
    is_heading(name)
        || matches!(
            *name,
            local_name!("address")
                | local_name!("article")
                | local_name!("aside")
                | local_name!("blockquote")
                | local_name!("center")
                | local_name!("div")
                | local_name!("dl")
                | local_name!("fieldset")
                | local_name!("footer")
                | local_name!("form")
                | local_name!("header")
                | local_name!("hr")
                | local_name!("menu")
                | local_name!("nav")
                | local_name!("ol")
                | local_name!("p")
                | local_name!("pre")
                | local_name!("section")
                | local_name!("table")
                | local_name!("ul")
                | local_name!("xmp")
                | local_name!("plaintext")
        )
}

/// How the tokenizer must read the text after a start tag, as the tree
/// builder would tell it (scripting on, as scraper parses).
fn raw_kind(name: &LocalName) -> Option<TokenSinkResult<()>> {
    Some(match *name {
        local_name!("script") => TokenSinkResult::RawData(RawKind::ScriptData),
        local_name!("textarea") | local_name!("title") => TokenSinkResult::RawData(RawKind::Rcdata),
        local_name!("style")
        | local_name!("xmp")
        | local_name!("iframe")
        | local_name!("noembed")
        | local_name!("noframes")
        | local_name!("noscript") => TokenSinkResult::RawData(RawKind::Rawtext),
        local_name!("plaintext") => TokenSinkResult::Plaintext,
        _ => return None,
    })
}

/// A token the splitter cares about.
enum Event {
    Start(Tag),
    End(LocalName),
    /// A comment or doctype: ends any tag in the making.
    Other,
}

/// Collects tokens and switches the tokenizer into raw text where the tree
/// builder would.
#[derive(Default)]
struct Sink {
    events: RefCell<Vec<Event>>,
    /// The raw-text element the tokenizer is in, if any.
    raw: RefCell<Option<LocalName>>,
    /// Open `<svg>`/`<math>` elements: inside them `<style>` or `<title>`
    /// is markup.
    foreign: Cell<usize>,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => {
                let foreign = matches!(tag.name, local_name!("svg") | local_name!("math"));
                match tag.kind {
                    TagKind::StartTag => {
                        let raw = (self.foreign.get() == 0)
                            .then(|| raw_kind(&tag.name))
                            .flatten();
                        if foreign && !tag.self_closing {
                            self.foreign.set(self.foreign.get() + 1);
                        }
                        if raw.is_some() {
                            *self.raw.borrow_mut() = Some(tag.name.clone());
                        }
                        self.events.borrow_mut().push(Event::Start(tag));
                        return raw.unwrap_or(TokenSinkResult::Continue);
                    }
                    TagKind::EndTag => {
                        if foreign {
                            self.foreign.set(self.foreign.get().saturating_sub(1));
                        }
                        *self.raw.borrow_mut() = None;
                        self.events.borrow_mut().push(Event::End(tag.name));
                    }
                }
            }
            Token::CommentToken(_) | Token::DoctypeToken(_) => {
                self.events.borrow_mut().push(Event::Other)
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// An open element.
struct Open {
    name: LocalName,
    /// Its start tag, written back.
    tag: String,
    /// Where its start tag begins.
    start: usize,
}

/// The element before the next one at the current level of the tree.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// None, or one that is not a heading.
    Other,
    /// A heading, from its start to its end.
    Heading(usize),
}

/// The marker kinds the splitter tells apart.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Marker {
    /// `#msgcns!X!N`: the entry's message block.
    Body,
    /// `#entrycns!X!N` or `.bvEntry`: the list-view container.
    Container,
    /// `#subjcns!X!N`: the title.
    Subject,
    /// `#LastMDatecns!X!N`.
    Date,
}

/// Where an entry starts, as far as it is known.
struct Start {
    id: SpacesId,
    at: usize,
    /// Open elements' start tags and the heading before, at `at`.
    context: String,
    /// A container or title marker was seen (worth a note if no body).
    visible: bool,
}

/// The entry being read.
struct Current {
    start: Start,
    has_body: bool,
}

/// Cuts one page into entries; see the module documentation.
pub struct Splitter {
    tokenizer: Tokenizer<Sink>,
    /// Page text from `base` on that is still needed.
    buf: String,
    base: usize,
    /// Text up to here has been fed to the tokenizer.
    fed: usize,
    /// Start of the tag in the making (the first `<` and letter since the
    /// last token).
    tag_start: Option<usize>,
    /// Size of tag text at which attributes are measured next.
    next_check: usize,
    stack: Vec<Open>,
    prev: Prev,
    current: Option<Current>,
    /// First markers of other entries since the current one's body.
    candidates: Vec<Start>,
    /// Entries already cut (an id is read once per page, at its first body).
    done: HashSet<SpacesId>,
    hosts: HashMap<String, usize>,
    notes: Vec<Note>,
}

impl Default for Splitter {
    fn default() -> Self {
        Self::new()
    }
}

fn new_tokenizer() -> Tokenizer<Sink> {
    Tokenizer::new(Sink::default(), TokenizerOpts::default())
}

impl Splitter {
    /// A splitter at the start of a page.
    pub fn new() -> Self {
        Splitter {
            tokenizer: new_tokenizer(),
            buf: String::new(),
            base: 0,
            fed: 0,
            tag_start: None,
            next_check: FIRST_TAG_CHECK,
            stack: Vec::new(),
            prev: Prev::Other,
            current: None,
            candidates: Vec::new(),
            done: HashSet::new(),
            hosts: HashMap::new(),
            notes: Vec::new(),
        }
    }

    /// Read the next piece of the page; entries that end in it are handed
    /// to `out`.
    pub fn push(&mut self, text: &str, out: &mut dyn FnMut(Cut)) -> Result<(), SplitError> {
        self.buf.push_str(text);
        while let Some(gt) = memchr::memchr(b'>', &self.buf.as_bytes()[self.fed - self.base..]) {
            let end = self.fed + gt + 1;
            self.feed_to(end, out)?;
        }
        self.check_tag_size()?;
        self.trim();
        Ok(())
    }

    /// The page has ended: the last entry is handed out, and what the page
    /// showed is returned.
    pub fn finish(mut self, out: &mut dyn FnMut(Cut)) -> Result<Summary, SplitError> {
        let end = self.base + self.buf.len();
        if end > self.fed {
            self.feed_to(end, out)?;
        }
        self.tokenizer.end();
        self.take_events(end, out);
        self.cut_current(end, out);
        let mut hosts: Vec<(String, usize)> = self.hosts.into_iter().collect();
        hosts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(Summary {
            hosts: hosts.into_iter().map(|(h, _)| h).collect(),
            notes: self.notes,
        })
    }

    fn text(&self, from: usize, to: usize) -> &str {
        &self.buf[from - self.base..to - self.base]
    }

    /// Feed the text up to `end` (just after a `>`, or the page's end).
    fn feed_to(&mut self, end: usize, out: &mut dyn FnMut(Cut)) -> Result<(), SplitError> {
        let mut from = self.fed;
        if self.tokenizer.sink.raw.borrow().is_some() {
            if let Some(at) = self.entry_tag_in_raw_text(from, end) {
                self.feed_piece(from, at);
                self.take_events(at, out);
                self.resync(at);
                from = at;
            }
        }
        self.feed_piece(from, end);
        self.take_events(end, out);
        if self.tag_start.is_some() && end - self.tag_start.unwrap_or(end) >= self.next_check {
            self.check_tag_size()?;
        }
        Ok(())
    }

    /// Hand `from..to` to the tokenizer.
    fn feed_piece(&mut self, from: usize, to: usize) {
        if to <= from {
            return;
        }
        let piece = &self.buf[from - self.base..to - self.base];
        if self.tag_start.is_none() {
            self.tag_start = first_tag_open(piece).map(|p| from + p);
        }
        let queue = BufferQueue::default();
        queue.push_back(piece.into());
        let _ = self.tokenizer.feed(&queue);
        self.fed = to;
    }

    /// In raw text from `from` to `end`: where a start tag of another entry
    /// begins, if one does.
    fn entry_tag_in_raw_text(&self, from: usize, end: usize) -> Option<usize> {
        let piece = self.text(from, end);
        let mut i = 0;
        while let Some(p) = first_tag_open(&piece[i..]) {
            let tag_text = &piece[i + p..];
            let plausible = super::contains_ignore_case(tag_text.as_bytes(), b"cns")
                || super::contains_ignore_case(tag_text.as_bytes(), b"bventry");
            if plausible {
                if let Some(tag) = lone_start_tag(tag_text) {
                    if matches!(
                        marker(&tag.attrs),
                        Some((_, Marker::Body | Marker::Container | Marker::Subject))
                    ) {
                        return Some(from + i + p);
                    }
                }
            }
            i += p + 1;
        }
        None
    }

    /// Close the raw-text element the tokenizer is in at `at` and start a
    /// new tokenizer there, in data state.
    fn resync(&mut self, at: usize) {
        self.tokenizer.end();
        self.tokenizer.sink.events.borrow_mut().clear();
        let name = self.tokenizer.sink.raw.borrow_mut().take();
        self.tokenizer = new_tokenizer();
        self.tag_start = None;
        if let Some(name) = name {
            if let Some(i) = self.stack.iter().rposition(|o| o.name == name) {
                self.notes.push(Note::Unclosed {
                    element: name.to_string(),
                    opened: self.stack[i].start,
                    closed: at,
                });
                self.stack.truncate(i);
            }
        }
        self.prev = Prev::Other;
    }

    /// Measure the tag in the making; refuse one with too many attributes.
    fn check_tag_size(&mut self) -> Result<(), SplitError> {
        let Some(start) = self.tag_start else {
            return Ok(());
        };
        let len = self.fed.saturating_sub(start);
        if len < self.next_check {
            return Ok(());
        }
        let costs = depth::measure(self.text(start, self.fed).as_bytes());
        if costs.too_many_attributes(len) {
            return Err(SplitError::TooManyAttributes(costs.max_attributes));
        }
        self.next_check = len.saturating_mul(2);
        Ok(())
    }

    /// Handle the tokens of the last piece fed, which ended at `end`.
    fn take_events(&mut self, end: usize, out: &mut dyn FnMut(Cut)) {
        let events = std::mem::take(&mut *self.tokenizer.sink.events.borrow_mut());
        for event in events {
            let start = self.tag_start.take().unwrap_or(end);
            self.next_check = FIRST_TAG_CHECK;
            match event {
                Event::Start(tag) => self.start_tag(tag, start, out),
                Event::End(name) => self.end_tag(&name),
                Event::Other => {}
            }
        }
    }

    fn start_tag(&mut self, tag: Tag, start: usize, out: &mut dyn FnMut(Cut)) {
        self.close_implied(&tag.name);
        if let Some(href) = attr(&tag.attrs, "href") {
            if let Some(host) = space_host(href) {
                *self.hosts.entry(host).or_default() += 1;
            }
        }
        if let Some((id, kind)) = marker(&tag.attrs) {
            self.marker(id, kind, start, out);
        }
        if is_void(&tag.name) {
            self.prev = Prev::Other;
            return;
        }
        self.stack.push(Open {
            tag: write_start_tag(&tag),
            name: tag.name,
            start,
        });
        self.prev = Prev::Other;
    }

    fn end_tag(&mut self, name: &LocalName) {
        if matches!(
            *name,
            local_name!("html") | local_name!("body") | local_name!("br")
        ) {
            return;
        }
        let reach = self.stack.len().saturating_sub(END_TAG_REACH);
        let Some(i) = self.stack[reach..]
            .iter()
            .rposition(|o| o.name == *name)
            .map(|i| i + reach)
        else {
            return;
        };
        self.prev = if is_heading(name) {
            Prev::Heading(self.stack[i].start)
        } else {
            Prev::Other
        };
        self.stack.truncate(i);
    }

    /// Pop what a start tag closes by itself (`<p>` before a block, `<li>`
    /// before `<li>`, a cell before a cell or row).
    fn close_implied(&mut self, name: &LocalName) {
        loop {
            let Some(top) = self.stack.last() else { return };
            let closes = match top.name {
                local_name!("p") => closes_p(name),
                local_name!("li") => *name == local_name!("li"),
                local_name!("dt") | local_name!("dd") => {
                    matches!(*name, local_name!("dt") | local_name!("dd"))
                }
                local_name!("td") | local_name!("th") => matches!(
                    *name,
                    local_name!("td") | local_name!("th") | local_name!("tr")
                ),
                local_name!("tr") => *name == local_name!("tr"),
                local_name!("option") => {
                    matches!(*name, local_name!("option") | local_name!("optgroup"))
                }
                ref h if is_heading(h) => is_heading(name),
                _ => false,
            };
            if !closes {
                return;
            }
            self.stack.pop();
            self.prev = Prev::Other;
        }
    }

    /// The start tags of the open elements, and the heading just before
    /// `at` when it is the previous element at this level.
    fn context(&self, at: usize, with_lead: bool) -> String {
        let mut s = String::new();
        for o in &self.stack {
            s.push_str(&o.tag);
        }
        if let (true, Prev::Heading(h)) = (with_lead, self.prev) {
            if h >= self.base && at - h <= MAX_LEAD {
                s.push_str(self.text(h, at));
            }
        }
        s
    }

    fn marker(&mut self, id: SpacesId, kind: Marker, at: usize, out: &mut dyn FnMut(Cut)) {
        if self.done.contains(&id) {
            return;
        }
        let visible = matches!(kind, Marker::Container | Marker::Subject);
        let is_body = kind == Marker::Body;
        match &mut self.current {
            None => {
                self.current = Some(Current {
                    start: Start {
                        context: self.context(at, is_body),
                        id,
                        at,
                        visible,
                    },
                    has_body: is_body,
                });
            }
            Some(cur) if cur.start.id == id => {
                cur.start.visible |= visible;
                cur.has_body |= is_body;
            }
            Some(_) if !is_body => {
                if !self.candidates.iter().any(|c| c.id == id) {
                    let start = Start {
                        context: self.context(at, false),
                        id,
                        at,
                        visible,
                    };
                    self.candidates.push(start);
                } else if let Some(c) = self.candidates.iter_mut().find(|c| c.id == id) {
                    c.visible |= visible;
                }
            }
            Some(_) => {
                let start = match self.candidates.iter().position(|c| c.id == id) {
                    Some(i) => self.candidates.swap_remove(i),
                    None => Start {
                        context: self.context(at, true),
                        id,
                        at,
                        visible: false,
                    },
                };
                self.cut_current(start.at, out);
                self.current = Some(Current {
                    start,
                    has_body: true,
                });
            }
        }
    }

    /// Hand out the current entry as ending at `end`, if it has a body.
    fn cut_current(&mut self, end: usize, out: &mut dyn FnMut(Cut)) {
        let Some(cur) = self.current.take() else {
            return;
        };
        // Markers before the end belong to no entry; those after it may
        // still lead to a body.
        let (before, after): (Vec<Start>, Vec<Start>) = std::mem::take(&mut self.candidates)
            .into_iter()
            .partition(|c| c.at < end);
        self.candidates = after;
        for c in before {
            if c.visible && !self.done.contains(&c.id) {
                self.notes.push(Note::NoBody { id: c.id, at: c.at });
            }
        }
        if !cur.has_body {
            if cur.start.visible {
                self.notes.push(Note::NoBody {
                    id: cur.start.id,
                    at: cur.start.at,
                });
            }
            return;
        }
        let Start {
            id, at, context, ..
        } = cur.start;
        let mut html = context;
        html.push_str(self.text(at, end));
        self.done.insert(id.clone());
        out(Cut { id, at, html });
    }

    /// Drop text no longer needed: before the current entry, the heading
    /// that may lead the next one, and the tag in the making.
    fn trim(&mut self) {
        let mut keep = self.fed;
        if let Some(c) = &self.current {
            keep = keep.min(c.start.at);
        }
        if let Some(t) = self.tag_start {
            keep = keep.min(t);
        }
        if let Prev::Heading(h) = self.prev {
            if self.fed - h <= MAX_LEAD {
                keep = keep.min(h);
            }
        }
        let keep = keep.max(self.base);
        // Shift only once the dead part is a good share of the buffer, so
        // each byte is moved a bounded number of times.
        if keep - self.base >= 64 * 1024 && keep - self.base >= self.buf.len() / 2 {
            self.buf.drain(..keep - self.base);
            self.base = keep;
        }
    }
}

/// The first `<` followed by an ASCII letter.
fn first_tag_open(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    memchr::memchr_iter(b'<', b).find(|&i| b.get(i + 1).is_some_and(u8::is_ascii_alphabetic))
}

/// Read `text` (which starts with `<` and a letter) as one start tag.
fn lone_start_tag(text: &str) -> Option<Tag> {
    let tok = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(text.into());
    let _ = tok.feed(&queue);
    let events = tok.sink.events.take();
    events.into_iter().find_map(|e| match e {
        Event::Start(t) => Some(t),
        _ => None,
    })
}

fn attr<'a>(attrs: &'a [Attribute], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

/// The entry a start tag marks, and how; the same markers as the entry
/// reader's.
fn marker(attrs: &[Attribute]) -> Option<(SpacesId, Marker)> {
    if let Some(id) = attr(attrs, "id") {
        let lower = ids::unescape_bang(id).to_ascii_lowercase();
        let kind = [
            ("msgcns", Marker::Body),
            ("subjcns", Marker::Subject),
            ("entrycns", Marker::Container),
            ("lastmdatecns", Marker::Date),
        ]
        .into_iter()
        .find(|(p, _)| lower.starts_with(p))
        .map(|(_, k)| k);
        if let Some(kind) = kind {
            return ids::find_id(id).map(|i| (i, kind));
        }
    }
    let container = attr(attrs, "class").is_some_and(|c| {
        c.split_ascii_whitespace()
            .any(|x| x.eq_ignore_ascii_case("bvEntry"))
    });
    if container {
        return attr(attrs, "bv:cns")
            .and_then(ids::find_id)
            .map(|i| (i, Marker::Container));
    }
    None
}

/// A start tag written back from its token (attribute values escaped).
fn write_start_tag(tag: &Tag) -> String {
    let mut s = String::with_capacity(16);
    s.push('<');
    s.push_str(&tag.name);
    for a in &tag.attrs {
        s.push(' ');
        s.push_str(&a.name.local);
        s.push_str("=\"");
        for c in a.value.chars() {
            match c {
                '&' => s.push_str("&amp;"),
                '"' => s.push_str("&quot;"),
                c => s.push(c),
            }
        }
        s.push('"');
    }
    s.push('>');
    s
}

/// Cut a whole page held in memory.
pub fn split_text(text: &str) -> Result<(Vec<Cut>, Summary), SplitError> {
    let mut cuts = Vec::new();
    let mut s = Splitter::new();
    s.push(text, &mut |c| cuts.push(c))?;
    let summary = s.finish(&mut |c| cuts.push(c))?;
    Ok((cuts, summary))
}
