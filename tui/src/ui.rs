//! Drawing the whole app for one frame.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout};
use ratatui::Frame;
use time::OffsetDateTime;
use unicode_width::UnicodeWidthStr;

use crate::app::{App, Screen};
use crate::components::status_bar::StatusBar;
use crate::components::{confirm, help};

pub fn draw(frame: &mut Frame, app: &mut App, now: OffsetDateTime) {
    let [main, bar] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(frame.area());
    match app.screen {
        Screen::Login => app.login.draw(frame, main, app.tick),
        Screen::Feed => {
            let me = app.user.as_ref().map(|u| u.username.clone());
            app.feed.draw(frame, main, me.as_deref(), now);
            if app.compose.open {
                app.compose.draw(frame, main, app.tick);
            }
            if app.confirm_delete.is_some() {
                confirm::draw(frame, main, "Delete this woof?");
            }
        }
    }
    if app.help_open {
        help::draw(frame, main);
    }
    StatusBar {
        user: app.user.as_ref().map(|u| u.username.as_str()),
        server: &app.server,
        status: app.status.as_ref(),
        busy: app.pending > 0,
        tick: app.tick,
        keys: app.keys_hint(),
    }
    .draw(frame, bar);
    mend_wide_chars(frame.buffer_mut());
}

/// A popup drawn over wide text (CJK, emoji) can overwrite the right half
/// of a two-cell character while its left half stays. A terminal would then
/// draw the whole character over the popup's border; blank it instead.
pub fn mend_wide_chars(buffer: &mut Buffer) {
    let area = buffer.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let width = buffer[(x, y)].symbol().width().max(1) as u16;
            if width > 1 {
                let overwritten = (1..width)
                    .map(|i| x.saturating_add(i))
                    .filter(|&cx| cx < area.right())
                    .any(|cx| buffer[(cx, y)].symbol() != " ");
                if overwritten {
                    buffer[(x, y)].set_symbol(" ");
                    x += 1;
                    continue;
                }
            }
            x = x.saturating_add(width);
        }
    }
}
