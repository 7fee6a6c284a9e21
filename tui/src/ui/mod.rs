//! Drawing: pure views of the app's state, one file per part of the screen. Only
//! `Hits` (where things landed, for the mouse) and the composer's cursor are written back.

mod bars;
mod conversation;
mod members;
mod overlays;
mod sidebar;
mod signin;
pub mod theme;

use ratatui::{
    Frame,
    layout::{Constraint, Layout, Rect},
};

use crate::app::{App, Overlay, Screen};
use theme::Theme;

/// Below this width the sidebar and member list hide themselves.
pub const NARROW: u16 = 80;
/// The member list needs this much width besides the sidebar.
const MEMBERS_FROM: u16 = 110;
const SIDEBAR_WIDTH: u16 = 28;
const MEMBERS_WIDTH: u16 = 22;

/// What the caller needs to know after a frame.
#[derive(Debug, Clone, Copy, Default)]
pub struct Drawn {
    /// The oldest loaded message of the open conversation is on screen.
    pub top_reached: bool,
}

pub fn draw(frame: &mut Frame, app: &mut App) -> Drawn {
    let theme = Theme { color: app.color };
    let area = frame.area();
    if let Screen::SignIn(form) = &app.screen {
        signin::draw(frame, area, form, theme);
        return Drawn::default();
    }
    let [title, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    bars::title(frame, title, app, theme);
    bars::status(frame, status, app, theme);

    let wide = area.width >= NARROW;
    let show_sidebar = app.show_sidebar && wide;
    let show_members = app.show_members && area.width >= MEMBERS_FROM && app.current.is_some();
    let [side, center, right] = Layout::horizontal([
        Constraint::Length(if show_sidebar { SIDEBAR_WIDTH } else { 0 }),
        Constraint::Min(0),
        Constraint::Length(if show_members { MEMBERS_WIDTH } else { 0 }),
    ])
    .areas(body);
    app.hits.sidebar = side;
    app.hits.sidebar_rows.clear();
    if show_sidebar {
        sidebar::draw(frame, side, app, theme);
    }
    if show_members {
        members::draw(frame, right, app, theme);
    }
    let drawn = conversation::draw(frame, center, app, theme);
    match &mut app.overlay {
        Some(Overlay::Switcher(switcher)) => overlays::switcher(frame, area, switcher, theme),
        Some(Overlay::Help { scroll }) => overlays::help(frame, area, &app.keymap, scroll, theme),
        None => {}
    }
    drawn
}

/// A `width` × `height` box centred in `area` (clipped to it).
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 3,
        width,
        height,
    }
}

/// `text` cut to `width` columns, with an ellipsis when cut.
fn fit(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let mut used = 0;
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return text.to_owned();
    }
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}
