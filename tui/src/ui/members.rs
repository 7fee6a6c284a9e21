//! The member list of the open conversation, with who is online.

use ratatui::{
    Frame,
    layout::Rect,
    text::{Line, Span},
    widgets::{Block, Borders, Paragraph},
};

use super::{fit, theme::Theme};
use crate::app::App;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let members = app
        .current
        .and_then(|c| app.members.get(&c))
        .cloned()
        .unwrap_or_default();
    let block = Block::default()
        .borders(Borders::LEFT)
        .border_style(theme.dim())
        .title(Span::styled(
            format!(" Members {} ", members.len()),
            theme.heading(),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let mut sorted: Vec<_> = members
        .iter()
        .map(|id| {
            (
                !app.online.contains(id) && *id != app.me_id(),
                app.people.name(*id).to_lowercase(),
                *id,
            )
        })
        .collect();
    sorted.sort();
    let lines: Vec<Line> = sorted
        .into_iter()
        .map(|(away, _, id)| {
            let (dot, style) = if away {
                ("○", theme.dim())
            } else {
                ("●", theme.ok())
            };
            Line::from(vec![
                Span::styled(format!(" {dot} "), style),
                Span::styled(
                    fit(app.people.name(id), width.saturating_sub(3)),
                    theme.name(id),
                ),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
