//! The sign-in / register form.

use ratatui::{
    Frame,
    layout::Rect,
    text::{Line, Span},
    widgets::{Block, Borders, Padding, Paragraph, Wrap},
};

use super::{centered, fit, theme::Theme};
use crate::app::{SignIn, signin_field_label};

pub fn draw(frame: &mut Frame, area: Rect, form: &SignIn, theme: Theme) {
    let fields = form.fields();
    let height = u16::try_from(fields.len()).unwrap_or(4) * 2 + 8;
    let box_area = centered(area, 64.min(area.width), height);
    let title = if form.register {
        " Create a SocMel account "
    } else {
        " Sign in to SocMel "
    };
    let block = Block::default()
        .borders(Borders::ALL)
        // Padding rather than leading spaces, so wrapped lines keep the margin too.
        .padding(Padding::horizontal(1))
        .border_style(theme.accent())
        .title(Span::styled(title, theme.accent()));
    let inner = block.inner(box_area);
    frame.render_widget(block, box_area);
    let width = usize::from(inner.width);
    let mut lines = vec![Line::default()];
    for field in fields {
        let (label, value) = signin_field_label(form, field);
        let active = field == form.field;
        let shown = fit(&value, width.saturating_sub(12));
        let cursor = if active { "▏" } else { "" };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{label:<10} "),
                if active { theme.accent() } else { theme.dim() },
            ),
            Span::styled(shown, if active { theme.unread() } else { theme.base() }),
            Span::styled(cursor, theme.accent()),
        ]));
        lines.push(Line::default());
    }
    if form.busy {
        lines.push(Line::from(Span::styled("Signing in…", theme.accent())));
    } else if let Some(error) = &form.error {
        lines.push(Line::from(Span::styled(error.clone(), theme.error())));
    } else {
        lines.push(Line::default());
    }
    let switch = if form.register {
        "Ctrl+R sign in instead"
    } else {
        "Ctrl+R create an account"
    };
    lines.push(Line::from(Span::styled(
        format!("Tab next field · Enter continue · {switch} · Ctrl+C quit"),
        theme.dim(),
    )));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
