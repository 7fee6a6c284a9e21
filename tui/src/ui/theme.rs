//! Colours, and what stands in for them under `NO_COLOR`: bold, reverse, dim and
//! symbols carry the same meaning without colour.

use ratatui::style::{Color, Modifier, Style};
use socmel_client::types::UserId;

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

/// Names get one of these, picked by user id, so a speaker is recognisable at a glance.
const NAME_COLORS: [Color; 6] = [
    Color::Cyan,
    Color::Green,
    Color::Yellow,
    Color::Magenta,
    Color::LightBlue,
    Color::LightRed,
];

impl Theme {
    fn paint(self, color: Color) -> Style {
        if self.color {
            Style::default().fg(color)
        } else {
            Style::default()
        }
    }

    pub fn base(self) -> Style {
        Style::default()
    }

    pub fn dim(self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default().add_modifier(Modifier::DIM)
        }
    }

    pub fn accent(self) -> Style {
        self.paint(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn heading(self) -> Style {
        self.dim().add_modifier(Modifier::BOLD)
    }

    pub fn unread(self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn mention(self) -> Style {
        self.paint(Color::LightRed).add_modifier(Modifier::BOLD)
    }

    pub fn error(self) -> Style {
        self.paint(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn ok(self) -> Style {
        self.paint(Color::Green)
    }

    pub fn warn(self) -> Style {
        self.paint(Color::Yellow)
    }

    pub fn selected(self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn current(self) -> Style {
        if self.color {
            Style::default()
                .bg(Color::DarkGray)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn name(self, id: UserId) -> Style {
        let index = usize::try_from(id.0.rem_euclid(NAME_COLORS.len() as i64)).unwrap_or(0);
        self.paint(NAME_COLORS[index]).add_modifier(Modifier::BOLD)
    }

    pub fn border(self, focused: bool) -> Style {
        if focused {
            self.paint(Color::Cyan)
        } else {
            self.dim()
        }
    }
}
