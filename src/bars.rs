//! Progress bars on standard error, only when it is a terminal: the
//! library's [`Progress`] drawn with indicatif.

use std::io::IsTerminal;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use spaces2wxr::{Progress, Stage};

/// The bar on screen, if any, so that the signal handler can clear it
/// before it prints its line.
static CURRENT: Mutex<Option<ProgressBar>> = Mutex::new(None);

fn current() -> std::sync::MutexGuard<'static, Option<ProgressBar>> {
    CURRENT.lock().unwrap_or_else(|e| e.into_inner())
}

/// Remove the bar on screen, if any.
pub fn clear() {
    if let Some(bar) = current().take() {
        bar.finish_and_clear();
    }
}

/// One bar per stage, on standard error; nothing at all unless `shown`
/// and standard error is a terminal.
pub struct Bars {
    shown: bool,
}

impl Bars {
    /// Bars when `wanted` (not --quiet) and standard error is a terminal.
    pub fn new(wanted: bool) -> Self {
        Bars {
            shown: wanted && std::io::stderr().is_terminal(),
        }
    }
}

impl Progress for Bars {
    fn begin(&self, stage: Stage, total: u64) {
        if !self.shown {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        // No colours: the bar is plain text, whatever NO_COLOR says.
        let style = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_message(stage.label());
        if let Some(old) = current().replace(bar) {
            old.finish_and_clear();
        }
    }

    fn advance(&self, n: u64) {
        if let Some(bar) = current().as_ref() {
            bar.inc(n);
        }
    }

    fn end(&self) {
        clear();
    }
}
