//! "Delete this woof?  y delete · n keep".

use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};
use ratatui::Frame;

use super::centered;
use crate::keymap::{self, Context};

pub fn draw(frame: &mut Frame, area: Rect, question: &str) {
    let text = format!("{question}  {}", keymap::hints(Context::ConfirmDelete));
    let popup = centered(area, text.chars().count() as u16 + 4, 3);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(Style::default().fg(Color::Red));
    frame.render_widget(Paragraph::new(text).centered().block(block), popup);
}
