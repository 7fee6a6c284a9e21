//! Overlays drawn above the chat: the switcher and the help screen (generated from the
//! keymap).

use ratatui::{
    Frame,
    layout::Rect,
    text::{Line, Span},
    widgets::{Block, Borders, Clear, Paragraph},
};
use unicode_width::UnicodeWidthStr;

use super::{centered, fit, theme::Theme};
use crate::{
    keymap::{Keymap, Layer},
    sidebar::count_label,
    switcher::{SHOWN, Switcher},
};

pub fn switcher(frame: &mut Frame, area: Rect, switcher: &Switcher, theme: Theme) {
    let height = u16::try_from(SHOWN).unwrap_or(12) + 4;
    let box_area = centered(
        area,
        64.min(area.width.saturating_sub(2)).max(area.width.min(20)),
        height,
    );
    frame.render_widget(Clear, box_area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.accent())
        .title(Span::styled(" Jump to ", theme.accent()));
    let inner = block.inner(box_area);
    frame.render_widget(block, box_area);
    let width = usize::from(inner.width);
    let mut lines = vec![Line::from(vec![
        Span::styled("> ", theme.accent()),
        Span::raw(fit(&switcher.query, width.saturating_sub(3))),
        Span::styled("▏", theme.accent()),
    ])];
    let mut any = false;
    for (index, item) in switcher.results().enumerate() {
        any = true;
        let badge = match (item.unread, item.mention) {
            (0, _) => String::new(),
            (n, true) => format!("◆ {}", count_label(n)),
            (n, false) => count_label(n),
        };
        let hint = if matches!(item.target, crate::switcher::Target::Person(_)) {
            "start a DM"
        } else {
            ""
        };
        let right = if badge.is_empty() {
            hint.to_owned()
        } else {
            badge
        };
        let label = fit(&item.label, width.saturating_sub(right.width() + 3));
        let pad = width.saturating_sub(label.width() + right.width() + 2);
        let style = if index == switcher.cursor {
            theme.selected()
        } else {
            theme.base()
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {label}{}", " ".repeat(pad)), style),
            Span::styled(
                format!("{right} "),
                if item.mention {
                    theme.mention()
                } else {
                    theme.dim()
                },
            ),
        ]));
    }
    if !any {
        lines.push(Line::from(Span::styled(" nothing matches", theme.dim())));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The help screen; `scroll` is kept within what is left below the screen.
pub fn help(frame: &mut Frame, area: Rect, keymap: &Keymap, scroll: &mut u16, theme: Theme) {
    let box_area = centered(
        area,
        118.min(area.width),
        area.height.saturating_sub(2).max(1),
    );
    frame.render_widget(Clear, box_area);
    let inner = Block::default().borders(Borders::ALL).inner(box_area);
    // Two columns when there is room, so everything fits on an ordinary screen.
    let two = inner.width >= 100;
    let column = if two { inner.width / 2 } else { inner.width };
    let width = usize::from(column.saturating_sub(1));
    let mut sections: Vec<Vec<Line>> = Layer::ALL
        .iter()
        .map(|layer| {
            let mut lines = vec![Line::from(Span::styled(layer.title(), theme.heading()))];
            for (action, keys) in keymap.layer(*layer) {
                let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
                let keys = fit(&keys.join(" "), 18);
                lines.push(Line::from(fit(
                    &format!("  {keys:<18} {}", action.help()),
                    width,
                )));
            }
            lines
        })
        .collect();
    let mut commands = vec![Line::from(Span::styled("In the composer", theme.heading()))];
    for (command, what) in [
        ("/dm NAME", "open a DM with someone"),
        ("/group NAME @a @b", "start a group chat"),
        ("/leave", "leave the open group"),
        ("//text", "send a message that starts with /"),
    ] {
        commands.push(Line::from(fit(&format!("  {command:<18} {what}"), width)));
    }
    commands.push(Line::from(Span::styled(
        fit(
            "Keys can be changed in keymap.toml (see the README).",
            width,
        ),
        theme.dim(),
    )));
    sections.push(commands);
    let total: usize = sections.iter().map(Vec::len).sum();
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for section in sections {
        if two && left.len() >= total / 2 {
            right.extend(section);
        } else {
            left.extend(section);
        }
    }
    let longest = u16::try_from(left.len().max(right.len())).unwrap_or(u16::MAX);
    let hidden = longest.saturating_sub(inner.height);
    *scroll = (*scroll).min(hidden);
    let title = if hidden > 0 {
        " Help — ↑ ↓ PgUp PgDn scroll · any other key closes "
    } else {
        " Help — any key closes "
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.accent())
        .title(Span::styled(title, theme.accent()));
    frame.render_widget(block, box_area);
    let left_area = Rect {
        width: column,
        ..inner
    };
    frame.render_widget(Paragraph::new(left).scroll((*scroll, 0)), left_area);
    if two {
        let right_area = Rect {
            x: inner.x + column,
            width: inner.width - column,
            ..inner
        };
        frame.render_widget(Paragraph::new(right).scroll((*scroll, 0)), right_area);
    }
}
