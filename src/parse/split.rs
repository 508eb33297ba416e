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
use super::wayback;

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
    /// The market and language the page names.
    pub locale: super::market::PageLocale,
    /// Remarks for the report.
    pub notes: Vec<Note>,
    /// What the Wayback Machine's inserts say about the page's capture,
    /// when the page was recorded through it.
    pub capture: Option<wayback::Capture>,
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
    /// A comment (its text, cut at [`MAX_KEPT_TEXT`]): ends any tag in
    /// the making.
    Comment(String),
    /// A doctype: ends any tag in the making.
    Other,
}

/// Text of a script, a comment or the toolbar's print line kept for the
/// [`wayback::CaptureReader`].
const MAX_KEPT_TEXT: usize = 16 * 1024;

fn push_capped(to: &mut String, text: &str) {
    let room = MAX_KEPT_TEXT.saturating_sub(to.len());
    if room == 0 {
        return;
    }
    let mut end = room.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    to.push_str(&text[..end]);
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
    /// Keep the text that follows (the toolbar's print line); a script's
    /// text is always kept.
    keep_text: Cell<bool>,
    /// The text kept since the last start tag.
    text: RefCell<String>,
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
            Token::CommentToken(c) => {
                let mut kept = String::new();
                push_capped(&mut kept, &c);
                self.events.borrow_mut().push(Event::Comment(kept));
            }
            Token::DoctypeToken(_) => self.events.borrow_mut().push(Event::Other),
            Token::CharacterTokens(t) => {
                let in_script = *self.raw.borrow() == Some(local_name!("script"));
                if in_script || self.keep_text.get() {
                    push_capped(&mut self.text.borrow_mut(), &t);
                }
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
    /// Where an HTML comment the tokenizer is still in began: it reads a
    /// comment to its `-->`, past any entry after an unclosed `<!--`.
    comment_open: Option<usize>,
    locale: super::market::LocaleReader,
    notes: Vec<Note>,
    /// What the Wayback Machine's inserts say about the capture.
    capture: wayback::CaptureReader,
    /// Where the toolbar insert being read began.
    toolbar_from: Option<usize>,
    /// The toolbar element being read (`#wm-ipp…`): its depth on the stack
    /// and where it began; and whether it is the print line.
    toolbar_el: Option<(usize, usize, bool)>,
    /// Page ranges the archive injected (toolbar, its comments), left out
    /// of the entries cut.
    injected: Vec<(usize, usize)>,
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
            comment_open: None,
            locale: Default::default(),
            notes: Vec::new(),
            capture: Default::default(),
            toolbar_from: None,
            toolbar_el: None,
            injected: Vec::new(),
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
            locale: self.locale.finish(),
            notes: self.notes,
            capture: self.capture.finish(),
        })
    }

    fn text(&self, from: usize, to: usize) -> &str {
        &self.buf[from - self.base..to - self.base]
    }

    /// Feed the text up to `end` (just after a `>`, or the page's end).
    fn feed_to(&mut self, end: usize, out: &mut dyn FnMut(Cut)) -> Result<(), SplitError> {
        let mut from = self.fed;
        self.check_tag_size(end)?;
        if self.tokenizer.sink.raw.borrow().is_some() {
            if let Some(at) = self.entry_tag_in_raw_text(from, end) {
                self.feed_piece(from, at);
                self.take_events(at, out);
                self.resync(at);
                from = at;
            }
        } else {
            self.follow_comments(from, end);
            if let Some(open) = self.comment_open {
                if let Some(at) = self.entry_tag_in_raw_text(from.max(open + 4), end) {
                    self.feed_piece(from, at);
                    self.take_events(at, out);
                    self.notes.push(Note::Unclosed {
                        element: "!--".into(),
                        opened: open,
                        closed: at,
                    });
                    self.comment_open = None;
                    self.resync(at);
                    from = at;
                }
            }
        }
        self.feed_piece(from, end);
        self.take_events(end, out);
        Ok(())
    }

    /// Follow the HTML comments of the data from `from` to `end`: where
    /// one opens (`<!--`) and whether it is closed (`-->`; `<!-->` and
    /// `<!--->` close at once, as the tokenizer reads them).
    fn follow_comments(&mut self, from: usize, end: usize) {
        let mut i = from;
        while i < end {
            let rest = self.text(i, end);
            match self.comment_open {
                Some(_) => match rest.find("-->") {
                    Some(p) => {
                        self.comment_open = None;
                        i += p + 3;
                    }
                    None => break,
                },
                None => match rest.find("<!--") {
                    Some(p) => {
                        let after = &rest[p + 4..];
                        if after.starts_with('>') || after.starts_with("->") {
                            i += p + 4;
                        } else {
                            self.comment_open = Some(i + p);
                            i += p + 4;
                        }
                    }
                    None => break,
                },
            }
        }
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

    /// Before the text up to `end` is fed: measure the tag in the making
    /// once it is long, and refuse one with too many attributes (the
    /// tokenizer's work grows with their square).
    fn check_tag_size(&mut self, end: usize) -> Result<(), SplitError> {
        let start = self
            .tag_start
            .or_else(|| first_tag_open(self.text(self.fed, end)).map(|p| self.fed + p));
        let Some(start) = start else {
            return Ok(());
        };
        let len = end - start;
        if len < self.next_check {
            return Ok(());
        }
        let costs = depth::measure(self.text(start, end).as_bytes());
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
                Event::End(name) => self.end_tag(&name, end),
                Event::Comment(text) => self.comment(&text, end),
                Event::Other => {}
            }
        }
    }

    /// A comment that ended at `end`: the Wayback toolbar's bounds and the
    /// archive's own comments are noted and left out of entries.
    fn comment(&mut self, text: &str, end: usize) {
        self.capture.comment(text);
        // `<!--text-->`, when the comment is written plainly.
        let start = end
            .checked_sub(text.len() + "<!---->".len())
            .filter(|&s| s >= self.base && self.text(s, (s + 4).min(end)) == "<!--");
        if wayback::is_toolbar_begin(text) {
            self.toolbar_from = Some(start.unwrap_or(end));
        } else if wayback::is_toolbar_end(text) {
            if let Some(from) = self.toolbar_from.take() {
                self.injected.push((from, end));
            }
        } else if wayback::is_archive_comment(text) && self.toolbar_from.is_none() {
            if let Some(s) = start {
                self.injected.push((s, end));
            }
        }
    }

    /// Is the tag being read inside what the Wayback Machine injected?
    fn in_toolbar(&self) -> bool {
        self.toolbar_from.is_some() || self.toolbar_el.is_some()
    }

    fn start_tag(&mut self, tag: Tag, start: usize, out: &mut dyn FnMut(Cut)) {
        self.close_implied(&tag.name);
        if tag.name == local_name!("script") {
            self.tokenizer.sink.text.borrow_mut().clear();
        }
        if let Some(id) = attr(&tag.attrs, "id").filter(|id| wayback::is_toolbar_id(id)) {
            if self.toolbar_el.is_none() && !is_void(&tag.name) {
                let print = wayback::is_print_id(id);
                self.toolbar_el = Some((self.stack.len(), start, print));
                if print {
                    self.tokenizer.sink.text.borrow_mut().clear();
                    self.tokenizer.sink.keep_text.set(true);
                }
            }
        }
        // The toolbar's links, languages and ids are not the page's.
        if !self.in_toolbar() {
            if let Some(href) = attr(&tag.attrs, "href") {
                if let Some(host) = space_host(href) {
                    *self.hosts.entry(host).or_default() += 1;
                }
            }
            self.locale.tag(&tag.name, |a| attr(&tag.attrs, a));
            if let Some((id, kind)) = marker(&tag.attrs) {
                self.marker(id, kind, start, out);
            }
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

    fn end_tag(&mut self, name: &LocalName, end: usize) {
        if *name == local_name!("script") {
            let text = std::mem::take(&mut *self.tokenizer.sink.text.borrow_mut());
            self.capture.script(&text);
        }
        self.close(name);
        if let Some((depth, from, print)) = self.toolbar_el {
            if self.stack.len() <= depth {
                self.toolbar_el = None;
                if print {
                    self.tokenizer.sink.keep_text.set(false);
                    let text = std::mem::take(&mut *self.tokenizer.sink.text.borrow_mut());
                    self.capture.print_line(&text);
                }
                if self.toolbar_from.is_none() {
                    self.injected.push((from, end));
                }
            }
        }
    }

    fn close(&mut self, name: &LocalName) {
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
        // What the Wayback Machine injected is left out.
        let mut from = at;
        for &(a, b) in &self.injected {
            if a >= from && b <= end {
                html.push_str(self.text(from, a));
                from = b;
            }
        }
        html.push_str(self.text(from, end));
        self.injected.retain(|&(_, b)| b > end);
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
        let kind = [
            ("msgcns", Marker::Body),
            ("subjcns", Marker::Subject),
            ("entrycns", Marker::Container),
            ("lastmdatecns", Marker::Date),
        ]
        .into_iter()
        .find(|(p, _)| ids::starts_with_ignore_case(id, p))
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

#[cfg(test)]
/// Cut a whole page held in memory.
pub fn split_text(text: &str) -> Result<(Vec<Cut>, Summary), SplitError> {
    let mut cuts = Vec::new();
    let mut s = Splitter::new();
    s.push(text, &mut |c| cuts.push(c))?;
    let summary = s.finish(&mut |c| cuts.push(c))?;
    Ok((cuts, summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWNER: &str = "D2C0FFEE12345678";

    fn list_entry(n: usize, inside: &str) -> String {
        format!(
            r#"<div class="bvEntry" id="entrycns!{OWNER}!{n}" bv:cns="cns!{OWNER}!{n}">
<h4 id="subjcns!{OWNER}!{n}">Title {n}</h4>
<div class="bvMsg" id="msgcns!{OWNER}!{n}"><p>Body {n}</p>{inside}</div>
<div class="footerLinks"><nobr>2010/9/{n} 15:45:07</nobr></div>
</div>
"#
        )
    }

    fn page(entries: &[String]) -> String {
        format!(
            "<html><head><title>Blog</title></head><body><div id=\"main\">\n{}</div><div id=\"side\"><a href=\"http://demo-space.spaces.live.com/\">home</a></div></body></html>",
            entries.concat()
        )
    }

    fn ids(cuts: &[Cut]) -> Vec<String> {
        cuts.iter()
            .map(|c| {
                c.id.to_string()
                    .rsplit('!')
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn a_list_page_is_cut_at_each_container() {
        let text = page(&[list_entry(1, ""), list_entry(2, ""), list_entry(3, "")]);
        let (cuts, summary) = split_text(&text).expect("cut");
        assert_eq!(ids(&cuts), ["1", "2", "3"]);
        for c in &cuts {
            assert_eq!(&text[c.at..c.at + 4], "<div");
            assert!(
                c.html.starts_with(
                    "<html><head></head><body><div id=\"main\"><div class=\"bvEntry\""
                ) || c
                    .html
                    .starts_with("<html><body><div id=\"main\"><div class=\"bvEntry\""),
                "{}",
                c.html
            );
        }
        assert!(cuts[0].html.contains("Body 1") && !cuts[0].html.contains("Body 2"));
        assert!(
            cuts[2].html.contains("id=\"side\""),
            "the last entry runs to the end"
        );
        assert_eq!(summary.hosts, ["demo-space.spaces.live.com"]);
        assert!(summary.notes.is_empty());
    }

    #[test]
    fn pieces_of_any_size_give_the_same_cuts() {
        let text = page(&[
            list_entry(1, "<textarea>never closed"),
            list_entry(2, "<b title=\"a>b\">x</b>"),
            list_entry(3, ""),
        ]);
        let whole = split_text(&text).expect("cut");
        for size in [1, 2, 7, 64, 1000] {
            let mut cuts = Vec::new();
            let mut s = Splitter::new();
            let mut rest = text.as_str();
            while !rest.is_empty() {
                let mut at = size.min(rest.len());
                while !rest.is_char_boundary(at) {
                    at += 1;
                }
                s.push(&rest[..at], &mut |c| cuts.push(c)).expect("push");
                rest = &rest[at..];
            }
            let summary = s.finish(&mut |c| cuts.push(c)).expect("finish");
            assert_eq!((&cuts, &summary), (&whole.0, &whole.1), "pieces of {size}");
        }
    }

    #[test]
    fn an_unclosed_raw_text_element_ends_at_the_next_entry() {
        for el in [
            "textarea",
            "title",
            "style",
            "xmp",
            "plaintext",
            "noscript",
            "iframe",
            "script",
        ] {
            let text = page(&[
                list_entry(1, ""),
                list_entry(2, &format!("<{el}>left open <p>still")),
                list_entry(3, ""),
                list_entry(4, ""),
            ]);
            let (cuts, summary) = split_text(&text).expect("cut");
            assert_eq!(ids(&cuts), ["1", "2", "3", "4"], "{el}");
            assert!(cuts[1].html.contains("left open"));
            assert!(!cuts[1].html.contains("Body 3"), "{el}");
            match summary.notes.as_slice() {
                [Note::Unclosed {
                    element, closed, ..
                }] => {
                    assert_eq!(element, el);
                    assert_eq!(*closed, cuts[2].at);
                }
                other => panic!("{el}: {other:?}"),
            }
        }
    }

    #[test]
    fn an_unclosed_comment_ends_at_the_next_entry() {
        let text = page(&[
            list_entry(1, ""),
            list_entry(2, "Comment start <!-- never closed <p>still"),
            list_entry(3, "<!-- closed --> <!--> <!---> kept"),
            list_entry(4, ""),
        ]);
        let (cuts, summary) = split_text(&text).expect("cut");
        assert_eq!(ids(&cuts), ["1", "2", "3", "4"]);
        assert!(cuts[2].html.contains("kept"));
        match summary.notes.as_slice() {
            [Note::Unclosed {
                element, closed, ..
            }] => {
                assert_eq!(element, "!--");
                assert_eq!(*closed, cuts[2].at);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_closed_raw_text_element_and_a_select_change_nothing() {
        let text = page(&[
            list_entry(1, "<textarea>a <b>c</b></textarea><select><option>x"),
            list_entry(2, ""),
        ]);
        let (cuts, summary) = split_text(&text).expect("cut");
        assert_eq!(ids(&cuts), ["1", "2"]);
        assert!(summary.notes.is_empty(), "{:?}", summary.notes);
    }

    /// Without containers, the heading before a message block goes with it,
    /// and the open elements are written before the entry.
    #[test]
    fn a_heading_before_the_body_leads_the_entry() {
        let text = format!(
            r#"<html><body><table><tr><td>
<h2>One</h2><div id="msgcns!{OWNER}!1" class="bvMsg">first</div>
<h2>Two</h2> <!-- x --> <div id="msgcns!{OWNER}!2" class="bvMsg">second</div>
<p>closing words</p></td></tr></table></body></html>"#
        );
        let (cuts, _) = split_text(&text).expect("cut");
        assert_eq!(ids(&cuts), ["1", "2"]);
        assert!(
            cuts[1]
                .html
                .starts_with("<html><body><table><tr><td><h2>Two</h2> <!-- x --> <div id=\"msgcns"),
            "{}",
            cuts[1].html
        );
        assert!(cuts[0].html.contains("<h2>One</h2>"));
        assert!(cuts[0].html.ends_with("<h2>Two</h2> <!-- x --> "));
    }

    #[test]
    fn markers_without_a_body_are_noted() {
        let text = format!(
            r#"<div class="bvEntry" bv:cns="cns!{OWNER}!7"><h4 id="subjcns!{OWNER}!7">Lost</h4></div>{}"#,
            list_entry(8, "")
        );
        let (cuts, summary) = split_text(&text).expect("cut");
        assert_eq!(ids(&cuts), ["8"]);
        match summary.notes.as_slice() {
            [Note::NoBody { id, at: 0 }] => assert!(id.to_string().ends_with("!7")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_tag_with_too_many_attributes_is_refused() {
        let mut text = String::from("<div ");
        for i in 0..20_000 {
            text.push_str(&format!("a{i} "));
        }
        text.push('>');
        assert!(matches!(
            split_text(&text),
            Err(SplitError::TooManyAttributes(n)) if n > 10_000
        ));
    }
}
