//! The title bar (who, where, the connection) and the status bar (typing, notices,
//! key hints, unread totals).

use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
    text::{Line, Span},
    widgets::Paragraph,
};

use super::{fit, theme::Theme};
use crate::{
    app::{App, Focus},
    keymap::{Action, Layer},
    msg::Link,
};

pub fn title(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let left = app.retry_at.map(|at| at - app.now);
    let now = app
        .keymap
        .hint(Layer::Global, Action::Reconnect)
        .map(|key| format!(" ({key} now)"))
        .unwrap_or_default();
    let link = link_label(&app.link, left, &now, theme);
    let link_width = u16::try_from(link.width())
        .unwrap_or(u16::MAX)
        .min(area.width);
    let [left, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(link_width)]).areas(area);
    let who = app.me.as_ref().map_or_else(
        || app.server.clone(),
        |me| format!("{}@{}", me.username, app.server),
    );
    let mut spans = vec![
        Span::styled(" SocMel ", theme.accent()),
        Span::styled(who, theme.dim()),
    ];
    if let Some(current) = app.current {
        spans.push(Span::styled(" │ ", theme.dim()));
        spans.push(Span::styled(app.title_of(current), theme.unread()));
    }
    if area.width < super::NARROW {
        let unread = app.sidebar.total_unread();
        if unread > 0 {
            spans.push(Span::styled(format!(" ({unread} unread)"), theme.mention()));
        }
    }
    let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
    let line = if text.chars().count() > usize::from(left.width) {
        Line::from(Span::styled(
            fit(&text, usize::from(left.width)),
            theme.base(),
        ))
    } else {
        Line::from(spans)
    };
    frame.render_widget(Paragraph::new(line), left);
    frame.render_widget(Paragraph::new(link), right);
}

/// The connection state; `left` is the time until the next reconnection attempt,
/// `now` the hint for the key that cuts it short.
fn link_label(
    link: &Link,
    left: Option<chrono::TimeDelta>,
    now: &str,
    theme: Theme,
) -> Line<'static> {
    let (text, style) = match link {
        Link::Connected => ("● connected ".to_owned(), theme.ok()),
        Link::Connecting => ("◌ connecting… ".to_owned(), theme.warn()),
        Link::Reconnecting { attempt, .. } => {
            let millis = left.map_or(0, |left| left.num_milliseconds());
            let text = if millis > 0 {
                format!(
                    "◌ reconnecting, try {attempt} in {} s{now} ",
                    (millis + 999) / 1000
                )
            } else {
                format!("◌ reconnecting, try {attempt}… ")
            };
            (text, theme.warn())
        }
        Link::Offline(reason) => (format!("✕ offline: {reason} "), theme.error()),
    };
    Line::from(Span::styled(text, style))
}

pub fn status(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let unread = app.sidebar.total_unread();
    let mentions = app.sidebar.total_mentions();
    let mut totals = String::new();
    if unread > 0 {
        totals = format!("{unread} unread");
        if mentions > 0 {
            totals.push_str(&format!(
                " · {mentions} mention{}",
                if mentions == 1 { "" } else { "s" }
            ));
        }
        totals.push(' ');
    }
    let totals_width = u16::try_from(totals.chars().count())
        .unwrap_or(0)
        .min(area.width / 2);
    let [left, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(totals_width)]).areas(area);
    let width = usize::from(left.width);
    let line = if let Some(notice) = &app.notice {
        let style = if notice.error {
            theme.error()
        } else {
            theme.accent()
        };
        Line::from(Span::styled(
            fit(&format!(" {}", notice.text), width),
            style,
        ))
    } else if let Some(typing) = app.typing_line() {
        Line::from(Span::styled(
            fit(&format!(" {typing}"), width),
            theme.accent(),
        ))
    } else {
        Line::from(Span::styled(fit(&hints(app), width), theme.dim()))
    };
    frame.render_widget(Paragraph::new(line), left);
    let style = if mentions > 0 {
        theme.mention()
    } else {
        theme.unread()
    };
    frame.render_widget(Paragraph::new(Span::styled(totals, style)), right);
}

/// The footer's key hints for what has focus, from the keymap.
fn hints(app: &App) -> String {
    let wanted: &[(Layer, Action, &str)] = match app.focus {
        Focus::Composer => &[
            (Layer::Global, Action::Switcher, "switch"),
            (Layer::Global, Action::NextUnread, "next unread"),
            (Layer::Composer, Action::EditLast, "edit last"),
            (Layer::Global, Action::FocusNext, "messages"),
            (Layer::Global, Action::Help, "help"),
        ],
        Focus::Messages => &[
            (Layer::Messages, Action::Reply, "reply"),
            (Layer::Messages, Action::Edit, "edit"),
            (Layer::Messages, Action::Delete, "delete"),
            (Layer::Messages, Action::OpenAttachment, "open"),
            (Layer::Messages, Action::Cancel, "back"),
            (Layer::Global, Action::Help, "help"),
        ],
        Focus::Sidebar => &[
            (Layer::Sidebar, Action::Open, "open"),
            (Layer::Sidebar, Action::Cancel, "back"),
            (Layer::Global, Action::Switcher, "switch"),
            (Layer::Global, Action::Help, "help"),
        ],
    };
    let parts: Vec<String> = wanted
        .iter()
        .filter_map(|(layer, action, label)| {
            app.keymap
                .hint(*layer, *action)
                .map(|key| format!("{key} {label}"))
        })
        .collect();
    format!(" {}", parts.join("  "))
}
