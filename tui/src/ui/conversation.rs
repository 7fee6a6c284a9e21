//! The open conversation: messages grouped by sender and day, replies, edits,
//! attachments, delivery state, the "new messages" line; the composer below.
//!
//! Lines are built from the newest message upwards and only until the screen (plus the
//! scroll offset) is full, so a conversation with 10,000 loaded messages costs what the
//! screen shows.

use chrono::{DateTime, Datelike, FixedOffset, Utc};
use ratatui::{
    Frame,
    layout::{Alignment, Constraint, Layout, Rect},
    style::Style,
    text::{Line, Span},
    widgets::{Block, Borders, Paragraph},
};
use unicode_width::UnicodeWidthStr;

use super::{Drawn, fit, theme::Theme};
use crate::{
    app::{App, Focus},
    keymap::{Action, Layer},
    timeline::{Backfill, ChatMessage, Delivery, Timeline},
};

/// Messages closer than this from the same sender share one name.
const GROUP_GAP: chrono::Duration = chrono::Duration::minutes(5);
/// The composer grows up to this many lines.
const COMPOSER_LINES: u16 = 8;

pub fn draw(frame: &mut Frame, area: Rect, app: &mut App, theme: Theme) -> Drawn {
    let composer_height = u16::try_from(app.composer.line_count())
        .unwrap_or(COMPOSER_LINES)
        .clamp(1, COMPOSER_LINES)
        + 1;
    let [messages, composer] = Layout::vertical([
        Constraint::Min(0),
        Constraint::Length(if app.current.is_some() {
            composer_height
        } else {
            0
        }),
    ])
    .areas(area);
    app.hits.messages = messages;
    app.hits.page = usize::from(messages.height.saturating_sub(2)).max(1);
    let Some(current) = app.current else {
        empty_state(frame, messages, app, theme);
        return Drawn::default();
    };
    let drawn = draw_messages(frame, messages, app, current, theme);
    draw_composer(frame, composer, app, theme);
    drawn
}

fn empty_state(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let name = app.me.as_ref().map_or("", |me| me.name());
    let key = |action| app.keymap.hint(Layer::Global, action).unwrap_or_default();
    let lines = vec![
        Line::default(),
        Line::from(Span::styled(format!("Welcome, {name}."), theme.accent())),
        Line::default(),
        Line::from(format!(
            "{}  jump to a room, group, DM or person",
            key(Action::Switcher)
        )),
        Line::from(format!(
            "{}  next unread conversation",
            key(Action::NextUnread)
        )),
        Line::from(format!("{}  all keys", key(Action::Help))),
        Line::default(),
        Line::from(Span::styled("/dm NAME starts a conversation.", theme.dim())),
    ];
    let top = area.height.saturating_sub(8) / 3;
    let inner = Rect {
        y: area.y + top,
        height: area.height.saturating_sub(top),
        ..area
    };
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), inner);
}

fn draw_messages(
    frame: &mut Frame,
    area: Rect,
    app: &mut App,
    current: socmel_client::types::conversations::Conversation,
    theme: Theme,
) -> Drawn {
    let height = usize::from(area.height);
    let width = usize::from(area.width);
    let Some(timeline) = app.timelines.get(&current) else {
        return Drawn::default();
    };
    let view = View {
        app,
        theme,
        width,
        tz: app.tz,
        today: app.now.with_timezone(&app.tz).date_naive(),
    };
    let (lines, selected_at, top_reached) = view.build(timeline, height);
    // Scroll: lines up from the bottom, clamped so the top of what is loaded stays at
    // the top of the pane; a selected message is kept on screen.
    let total = lines.len();
    let mut scroll = timeline.scroll.min(total.saturating_sub(height));
    if let Some((start, end)) = selected_at {
        let bottom = total - scroll; // one past the last visible line
        if end > bottom {
            scroll = total - end;
        } else if start < bottom.saturating_sub(height) {
            scroll = total.saturating_sub(start + height);
        }
    }
    let start = total.saturating_sub(scroll + height);
    let visible: Vec<Line> = lines[start..total - scroll].to_vec();
    let shown = visible.len();
    // Few messages sit at the bottom, next to the composer.
    let pad = height.saturating_sub(shown);
    let inner = Rect {
        y: area.y + u16::try_from(pad).unwrap_or(0),
        height: u16::try_from(shown).unwrap_or(0),
        ..area
    };
    frame.render_widget(Paragraph::new(visible), inner);
    if scroll > 0 && area.height > 0 {
        let note = Rect {
            y: area.y + area.height - 1,
            height: 1,
            ..area
        };
        let text = fit(" ↓ more below (PgDn) ", width);
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.selected())).alignment(Alignment::Right),
            note,
        );
    }
    if let Some(timeline) = app.timelines.get_mut(&current) {
        timeline.scroll = scroll;
    }
    Drawn {
        top_reached: top_reached && start == 0,
    }
}

struct View<'a> {
    app: &'a App,
    theme: Theme,
    width: usize,
    tz: FixedOffset,
    today: chrono::NaiveDate,
}

impl View<'_> {
    /// The lines of the newest messages, enough to fill `scroll + height` (and to reach
    /// the selected message); the selected message's line range; whether the oldest
    /// loaded message was reached.
    fn build(
        &self,
        timeline: &Timeline,
        height: usize,
    ) -> (Vec<Line<'static>>, Option<(usize, usize)>, bool) {
        let wanted = timeline.scroll + height;
        let mut blocks: Vec<Vec<Line<'static>>> = Vec::new();
        let mut count = 0;
        let mut selected_block = None;
        let mut reached_top = true;
        let mut messages = timeline.iter().rev().peekable();
        while let Some(message) = messages.next() {
            let older = messages.peek().copied();
            let block = self.message_block(timeline, message, older);
            count += block.len();
            if message.id.is_some() && message.id == timeline.selected {
                selected_block = Some(blocks.len());
            }
            blocks.push(block);
            let selection_pending = timeline.selected.is_some() && selected_block.is_none();
            if count >= wanted && !selection_pending && older.is_some() {
                reached_top = false;
                break;
            }
        }
        if reached_top {
            blocks.push(self.top_line(timeline));
        }
        let mut lines = Vec::with_capacity(count + 1);
        let mut selected_at = None;
        for (index, block) in blocks.into_iter().enumerate().rev() {
            let start = lines.len();
            lines.extend(block);
            if Some(index) == selected_block {
                selected_at = Some((start, lines.len()));
            }
        }
        (lines, selected_at, reached_top)
    }

    fn top_line(&self, timeline: &Timeline) -> Vec<Line<'static>> {
        let text = match timeline.backfill {
            Backfill::Complete if timeline.is_empty() => "No messages yet. Say hi!",
            Backfill::Complete => "This is the beginning of the conversation.",
            Backfill::NotLoaded | Backfill::Loading => "Loading messages…",
            Backfill::More => "Scroll up for older messages.",
        };
        vec![Line::from(Span::styled(
            fit(text, self.width),
            self.theme.dim(),
        ))]
    }

    fn local(&self, at: DateTime<Utc>) -> DateTime<FixedOffset> {
        at.with_timezone(&self.tz)
    }

    fn day_label(&self, at: DateTime<Utc>) -> String {
        let day = self.local(at).date_naive();
        if day == self.today {
            "Today".into()
        } else if Some(day) == self.today.pred_opt() {
            "Yesterday".into()
        } else if day.year() == self.today.year() {
            day.format("%a %-d %b").to_string()
        } else {
            day.format("%a %-d %b %Y").to_string()
        }
    }

    fn rule(&self, text: &str, style: Style) -> Line<'static> {
        let label = format!(" {text} ");
        let side = self.width.saturating_sub(label.width()) / 2;
        let right = self.width.saturating_sub(label.width() + side);
        Line::from(Span::styled(
            format!("{}{label}{}", "─".repeat(side), "─".repeat(right)),
            style,
        ))
    }

    fn message_block(
        &self,
        timeline: &Timeline,
        message: &ChatMessage,
        older: Option<&ChatMessage>,
    ) -> Vec<Line<'static>> {
        let theme = self.theme;
        let people = &self.app.people;
        let mut lines = Vec::new();
        let new_day = older
            .is_none_or(|o| self.local(o.at).date_naive() != self.local(message.at).date_naive());
        if new_day {
            lines.push(self.rule(&self.day_label(message.at), theme.dim()));
        }
        if message.id.is_some() && message.id == timeline.new_marker {
            lines.push(self.rule("new messages", theme.mention()));
        }
        let continues = !new_day
            && message.parent.is_none()
            && older.is_some_and(|o| o.sender == message.sender && message.at - o.at < GROUP_GAP);
        let name_width = (self.width / 5).clamp(6, 14);
        let prefix = name_width + 1 + 5 + 2;
        let compact = self.width < prefix + 16;
        let text_width = if compact {
            self.width.max(1)
        } else {
            self.width - prefix
        };
        let indent = if compact {
            String::new()
        } else {
            " ".repeat(prefix)
        };
        let time = self.local(message.at).format("%H:%M").to_string();
        let name = people.name(message.sender).to_owned();

        if let Some(parent) = message.parent {
            let quoted = match timeline.get(parent) {
                Some(p) => format!(
                    "↳ {}: {}",
                    people.name(p.sender),
                    p.content.replace('\n', " ")
                ),
                None => "↳ a message not loaded".into(),
            };
            lines.push(Line::from(vec![
                Span::raw(indent.clone()),
                Span::styled(fit(&quoted, text_width), theme.dim()),
            ]));
        }
        let mut body: Vec<String> = Vec::new();
        for paragraph in message.content.split('\n') {
            if paragraph.is_empty() {
                body.push(String::new());
                continue;
            }
            body.extend(
                textwrap::wrap(paragraph, text_width)
                    .into_iter()
                    .map(|l| l.into_owned()),
            );
        }
        let mut suffix: Vec<Span<'static>> = Vec::new();
        if message.edited {
            suffix.push(Span::styled(" (edited)", theme.dim()));
        }
        match &message.delivery {
            Delivery::Sending => suffix.push(Span::styled(" sending…", theme.dim())),
            Delivery::Queued => {
                suffix.push(Span::styled(" waiting for the connection…", theme.warn()))
            }
            Delivery::Unconfirmed => suffix.push(Span::styled(" checking…", theme.warn())),
            Delivery::Sent | Delivery::Failed(_) => {}
        }
        let header = !continues;
        if compact && header {
            lines.push(Line::from(vec![
                Span::styled(
                    fit(&name, self.width.saturating_sub(6)),
                    theme.name(message.sender),
                ),
                Span::styled(format!(" {time}"), theme.dim()),
            ]));
        }
        let count = body.len();
        for (index, text) in body.into_iter().enumerate() {
            let mut spans = Vec::new();
            if !compact {
                if index == 0 {
                    let shown = if header {
                        fit(&name, name_width)
                    } else {
                        String::new()
                    };
                    let pad = name_width.saturating_sub(shown.width());
                    spans.push(Span::styled(shown, theme.name(message.sender)));
                    spans.push(Span::raw(" ".repeat(pad + 1)));
                    spans.push(Span::styled(format!("{time}  "), theme.dim()));
                } else {
                    spans.push(Span::raw(indent.clone()));
                }
            }
            let mentions = self.app.mentions_me(&text) && message.sender != self.app.me_id();
            spans.push(Span::styled(
                text,
                if mentions {
                    theme.mention()
                } else {
                    theme.base()
                },
            ));
            if index + 1 == count {
                spans.extend(suffix.clone());
            }
            lines.push(Line::from(spans));
        }
        let open_key = self
            .app
            .keymap
            .hint(Layer::Messages, Action::OpenAttachment)
            .unwrap_or_default();
        for link in &message.attachments {
            let file = link.rsplit('/').next().unwrap_or(link);
            lines.push(Line::from(vec![
                Span::raw(indent.clone()),
                Span::styled(
                    fit(
                        &format!("[attachment] {file}  ({open_key} opens)"),
                        text_width,
                    ),
                    theme.accent(),
                ),
            ]));
        }
        if let Delivery::Failed(reason) = &message.delivery {
            lines.push(Line::from(vec![
                Span::raw(indent.clone()),
                Span::styled(
                    fit(&format!("✕ not sent: {reason}"), text_width),
                    theme.error(),
                ),
            ]));
        }
        if message.id.is_some() && message.id == timeline.selected {
            for line in &mut lines {
                line.style = theme.selected();
            }
        }
        lines
    }
}

fn draw_composer(frame: &mut Frame, area: Rect, app: &mut App, theme: Theme) {
    if area.height == 0 {
        return;
    }
    let focused = app.focus == Focus::Composer && app.overlay.is_none();
    let mut title = String::new();
    let mut title_style = theme.accent();
    if let Some(id) = app.composer.editing {
        let _ = id;
        title = " editing your message (Esc cancels) ".into();
    } else if let Some(parent) = app.composer.reply_to {
        let who = app
            .current
            .and_then(|c| app.timelines.get(&c))
            .and_then(|t| t.get(parent))
            .map_or("…", |m| app.people.name(m.sender));
        title = format!(" replying to {who} (Esc cancels) ");
    }
    let count = app.composer.text().chars().count();
    if count > crate::composer::MAX_CHARS {
        title = format!(
            " {count}/{} characters: too long ",
            crate::composer::MAX_CHARS
        );
        title_style = theme.error();
    }
    let placeholder = app
        .current
        .map(|c| format!("Message {}", app.title_of(c)))
        .unwrap_or_default();
    app.composer.set_placeholder(&placeholder);
    let textarea = app.composer.area_mut();
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme.border(focused))
        .title(Span::styled(title, title_style));
    textarea.set_block(block);
    textarea.set_cursor_style(if focused {
        theme.selected()
    } else {
        Style::default()
    });
    textarea.set_placeholder_style(theme.dim());
    frame.render_widget(app.composer.widget(), area);
}
