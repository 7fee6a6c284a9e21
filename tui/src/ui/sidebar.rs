//! The sidebar: DMs, groups, spaces and their rooms, with unread counts and mention marks.

use ratatui::{
    Frame,
    layout::Rect,
    text::{Line, Span},
    widgets::{Block, Borders, Paragraph},
};
use socmel_client::types::conversations::Conversation;
use unicode_width::UnicodeWidthStr;

use super::{fit, theme::Theme};
use crate::{
    app::{App, Focus},
    sidebar::{Row, count_label},
};

pub fn draw(frame: &mut Frame, area: Rect, app: &mut App, theme: Theme) {
    let block = Block::default()
        .borders(Borders::RIGHT)
        .border_style(theme.border(app.focus == Focus::Sidebar));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let rows = app.sidebar.rows();
    let focused = app.focus == Focus::Sidebar;
    // Keep the cursor's (or the open conversation's) row on screen.
    let wanted = if focused {
        app.sidebar_cursor
    } else {
        app.current
    };
    let wanted_row = wanted.and_then(|c| rows.iter().position(|r| *r == Row::Conversation(c)));
    let height = usize::from(inner.height);
    let skip = match wanted_row {
        Some(row) if row >= height => row + 1 - height,
        _ => 0,
    };
    let mut lines = Vec::new();
    if rows.is_empty() {
        lines.push(Line::from(Span::styled(
            " No conversations yet.",
            theme.dim(),
        )));
        lines.push(Line::from(Span::styled(
            " /dm NAME starts one.",
            theme.dim(),
        )));
    }
    for (index, row) in rows.iter().enumerate().skip(skip).take(height) {
        let screen_row = inner.y + u16::try_from(index - skip).unwrap_or(0);
        lines.push(match row {
            Row::Heading(text) => Line::from(Span::styled(format!(" {text}"), theme.heading())),
            Row::Space {
                name,
                unread,
                mention,
                ..
            } => {
                let style = if *unread > 0 {
                    theme.unread()
                } else {
                    theme.base()
                };
                let mark = badge(*unread, *mention);
                line_with_badge(&format!(" ▾ {name}"), style, &mark, width, theme, *mention)
            }
            Row::Conversation(conversation) => {
                app.hits.sidebar_rows.push((screen_row, *conversation));
                conversation_line(app, *conversation, width, theme, focused)
            }
        });
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn conversation_line(
    app: &App,
    conversation: Conversation,
    width: usize,
    theme: Theme,
    focused: bool,
) -> Line<'static> {
    let Some(entry) = app.sidebar.get(&conversation) else {
        return Line::default();
    };
    let label = match conversation {
        Conversation::Dm { user_id } => {
            let dot = if app.online.contains(&user_id) {
                "●"
            } else {
                " "
            };
            format!(" {dot} {}", app.people.name(user_id))
        }
        Conversation::Group { .. } => format!("   & {}", entry.name),
        Conversation::Room { .. } => format!("     # {}", entry.name),
    };
    let mut style = if entry.unread > 0 {
        theme.unread()
    } else {
        theme.base()
    };
    if app.current == Some(conversation) {
        style = style.patch(theme.current());
    }
    if focused && app.sidebar_cursor == Some(conversation) {
        style = style.patch(theme.selected());
    }
    let mark = badge(entry.unread, entry.mention);
    line_with_badge(&label, style, &mark, width, theme, entry.mention)
}

/// `4`, `◆ 4` for a mention, `99+`; empty when nothing is unread.
fn badge(unread: u32, mention: bool) -> String {
    match (unread, mention) {
        (0, _) => String::new(),
        (n, true) => format!("◆ {} ", count_label(n)),
        (n, false) => format!("{} ", count_label(n)),
    }
}

fn line_with_badge(
    label: &str,
    style: ratatui::style::Style,
    badge: &str,
    width: usize,
    theme: Theme,
    mention: bool,
) -> Line<'static> {
    let badge_width = badge.width();
    let label = fit(label, width.saturating_sub(badge_width + 1));
    let pad = width.saturating_sub(label.width() + badge_width);
    let badge_style = if mention {
        theme.mention()
    } else {
        theme.unread()
    };
    Line::from(vec![
        Span::styled(label, style),
        Span::styled(" ".repeat(pad), style),
        Span::styled(badge.to_owned(), badge_style),
    ])
}
