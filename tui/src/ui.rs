//! Drawing the whole app for one frame.

use ratatui::buffer::Buffer;
use ratatui::Frame;
use time::OffsetDateTime;
use unicode_width::UnicodeWidthStr;

use crate::app::App;

pub fn draw(frame: &mut Frame, app: &mut App, now: OffsetDateTime) {
    app.draw(frame, now);
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
