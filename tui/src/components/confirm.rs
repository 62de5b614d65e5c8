//! "Delete this woof? y/n".

use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};
use ratatui::Frame;

use super::centered;

pub fn draw(frame: &mut Frame, area: Rect, question: &str) {
    let popup = centered(area, 40, 3);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(Style::default().fg(Color::Red));
    frame.render_widget(
        Paragraph::new(format!("{question}  y/n"))
            .centered()
            .block(block),
        popup,
    );
}
