//! Terminal input: keys through the keymap's layers, paste, mouse, focus, resize.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};
use ratatui::layout::Position;
use socmel_client::types::conversations::Conversation;

use super::{App, Focus, Overlay, Screen};
use crate::{
    cmd::Cmd,
    keymap::{Action, Layer},
    msg::Link,
    switcher::{Switcher, Target},
};

/// Lines scrolled per mouse-wheel step.
const WHEEL_LINES: usize = 3;

impl App {
    pub(super) fn on_terminal(&mut self, event: Event, cmds: &mut Vec<Cmd>) {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                if let Screen::SignIn(_) = self.screen {
                    self.on_signin_key(key, cmds);
                } else {
                    self.on_key(key, cmds);
                }
            }
            Event::Paste(text) => match (&self.screen, &mut self.overlay) {
                (Screen::SignIn(_), _) => self.on_signin_paste(&text),
                (_, Some(Overlay::Switcher(switcher))) => {
                    text.chars()
                        .filter(|c| !c.is_control())
                        .for_each(|c| switcher.push(c));
                }
                _ => {
                    self.overlay = None;
                    self.focus = Focus::Composer;
                    self.composer.paste(&text);
                    self.typed(cmds);
                }
            },
            Event::Mouse(mouse) => self.on_mouse(mouse, cmds),
            Event::FocusGained => {
                self.focused = true;
                self.mark_read(cmds);
            }
            Event::FocusLost => self.focused = false,
            _ => {}
        }
    }

    fn on_key(&mut self, key: KeyEvent, cmds: &mut Vec<Cmd>) {
        if let Some(Overlay::Help { scroll }) = &mut self.overlay {
            // Arrows and pages scroll a help longer than the screen; any other key
            // closes it (the quit keys still quit).
            let moved = match key.code {
                KeyCode::Up | KeyCode::Char('k') => Some(scroll.saturating_sub(1)),
                KeyCode::Down | KeyCode::Char('j') => Some(scroll.saturating_add(1)),
                KeyCode::PageUp => Some(scroll.saturating_sub(10)),
                KeyCode::PageDown => Some(scroll.saturating_add(10)),
                KeyCode::Home => Some(0),
                _ => None,
            };
            if let Some(moved) = moved {
                *scroll = moved;
                return;
            }
            self.overlay = None;
            if self.keymap.action(&[Layer::Global], &key) == Some(Action::Quit) {
                self.do_action(Action::Quit, cmds);
            }
            return;
        }
        if let Some(Overlay::Switcher(_)) = self.overlay {
            self.on_switcher_key(key, cmds);
            return;
        }
        let layer = match self.focus {
            Focus::Composer => Layer::Composer,
            Focus::Messages => Layer::Messages,
            Focus::Sidebar => Layer::Sidebar,
        };
        let action = self.keymap.action(&[layer, Layer::Global], &key);
        // Up edits the last message only from an empty composer; otherwise it moves
        // the cursor between the draft's lines.
        let action = match action {
            Some(Action::EditLast) if !self.composer.is_empty() => None,
            other => other,
        };
        match action {
            Some(action) => self.do_action(action, cmds),
            None if self.focus == Focus::Composer => {
                if self.composer.input(key) {
                    self.typed(cmds);
                }
            }
            None => {
                // Typing a character anywhere goes to the composer.
                if let crossterm::event::KeyCode::Char(_) = key.code
                    && !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                    && self.current.is_some()
                {
                    self.focus = Focus::Composer;
                    self.leave_selection();
                    if self.composer.input(key) {
                        self.typed(cmds);
                    }
                }
            }
        }
    }

    fn on_switcher_key(&mut self, key: KeyEvent, cmds: &mut Vec<Cmd>) {
        let action = self.keymap.action(&[Layer::Switcher, Layer::Global], &key);
        let Some(Overlay::Switcher(switcher)) = &mut self.overlay else {
            return;
        };
        match action {
            Some(Action::Up) => switcher.up(),
            Some(Action::Down) => switcher.down(),
            Some(Action::Cancel | Action::Switcher) => self.overlay = None,
            Some(Action::Quit) => self.do_action(Action::Quit, cmds),
            Some(Action::Open) => {
                let chosen = switcher.chosen().map(|item| item.target);
                self.overlay = None;
                match chosen {
                    Some(Target::Conversation(conversation)) => self.open(conversation, cmds),
                    Some(Target::Person(id)) => {
                        if let Some(person) = self.people.get(id).cloned() {
                            self.open_dm(&person, cmds);
                        }
                    }
                    None => {}
                }
            }
            _ => {
                let before = switcher.query.clone();
                match key.code {
                    crossterm::event::KeyCode::Backspace => switcher.pop(),
                    crossterm::event::KeyCode::Char('u')
                        if key.modifiers.contains(KeyModifiers::CONTROL) =>
                    {
                        switcher.clear()
                    }
                    crossterm::event::KeyCode::Char(c)
                        if !key
                            .modifiers
                            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                    {
                        switcher.push(c)
                    }
                    _ => {}
                }
                // People the app has not met yet are searched on the server.
                let query = switcher.query.trim().to_owned();
                if query != before.trim() && query.chars().count() >= 2 {
                    cmds.push(Cmd::FindPeople(query));
                }
            }
        }
    }

    fn do_action(&mut self, action: Action, cmds: &mut Vec<Cmd>) {
        match action {
            Action::Quit => {
                self.quit = true;
                cmds.push(Cmd::Quit);
            }
            Action::Switcher => {
                self.overlay = Some(Overlay::Switcher(Switcher::new(self.switcher_items())));
            }
            Action::NextUnread => match self.sidebar.next_unread(self.current) {
                Some(conversation) => self.open(conversation, cmds),
                None => self.tell("nothing unread".into(), false),
            },
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Reconnect => match self.link {
                Link::Reconnecting { .. } => cmds.push(Cmd::Reconnect),
                Link::Connected => self.tell("already connected".into(), false),
                Link::Connecting | Link::Offline(_) => {}
            },
            Action::ToggleSidebar => {
                self.show_sidebar = !self.show_sidebar;
                if !self.show_sidebar && self.focus == Focus::Sidebar {
                    self.focus = Focus::Composer;
                }
            }
            Action::ToggleMembers => {
                self.show_members = !self.show_members;
                if let (true, Some(conversation)) = (self.show_members, self.current) {
                    cmds.push(Cmd::LoadMembers(conversation));
                }
            }
            Action::FocusNext => {
                self.focus = match self.focus {
                    Focus::Composer if self.current.is_some() => {
                        self.select_step(true);
                        Focus::Messages
                    }
                    Focus::Composer | Focus::Messages if self.show_sidebar => {
                        self.leave_selection();
                        self.sidebar_cursor = self
                            .current
                            .or_else(|| self.sidebar.ordered().first().copied());
                        Focus::Sidebar
                    }
                    _ => {
                        self.leave_selection();
                        Focus::Composer
                    }
                };
            }
            Action::PrevConversation | Action::NextConversation => {
                let ordered = self.sidebar.ordered();
                let here = self
                    .current
                    .and_then(|c| ordered.iter().position(|o| *o == c));
                let next = match (here, action == Action::NextConversation) {
                    (None, _) => ordered.first(),
                    (Some(i), true) => ordered.get(i + 1),
                    (Some(i), false) => i.checked_sub(1).and_then(|i| ordered.get(i)),
                };
                if let Some(conversation) = next.copied() {
                    self.open(conversation, cmds);
                }
            }
            Action::ScrollUp => self.scroll_by(self.hits.page.max(1) as isize, cmds),
            Action::ScrollDown => self.scroll_by(-(self.hits.page.max(1) as isize), cmds),
            Action::Send => self.send(cmds),
            Action::Newline => self.composer.newline(),
            // The loop hands the terminal to the editor and comes back with `edited`.
            Action::OpenEditor => {
                if self.current.is_some() {
                    self.editor = Some(self.composer.text());
                }
            }
            Action::EditLast => {
                let me = self.me_id();
                let last = self
                    .current
                    .and_then(|c| self.timelines.get(&c))
                    .and_then(|t| t.last_by(me))
                    .and_then(|m| m.id.map(|id| (id, m.content.clone())));
                if let Some((id, content)) = last {
                    self.composer.set_text(&content);
                    self.composer.editing = Some(id);
                    self.composer.reply_to = None;
                }
            }
            Action::Cancel => match self.focus {
                Focus::Composer => {
                    if self.composer.editing.is_some() {
                        self.composer.reset();
                    } else {
                        self.composer.reply_to = None;
                    }
                }
                Focus::Messages | Focus::Sidebar => {
                    self.leave_selection();
                    self.focus = Focus::Composer;
                }
            },
            Action::SelectOlder => self.select_step(true),
            Action::SelectNewer => self.select_step(false),
            Action::Reply => {
                if let Some(id) = self.selected() {
                    self.composer.reply_to = Some(id);
                    self.composer.editing = None;
                    self.leave_selection();
                    self.focus = Focus::Composer;
                }
            }
            Action::Edit => {
                let me = self.me_id();
                let chosen = self.selected_message().filter(|m| m.sender == me);
                match chosen.and_then(|m| m.id.map(|id| (id, m.content.clone()))) {
                    Some((id, content)) => {
                        self.composer.set_text(&content);
                        self.composer.editing = Some(id);
                        self.composer.reply_to = None;
                        self.leave_selection();
                        self.focus = Focus::Composer;
                    }
                    None => self.tell("you can edit your own messages only".into(), true),
                }
            }
            Action::Delete => {
                let (Some(conversation), Some(id)) = (self.current, self.selected()) else {
                    return;
                };
                if self.delete_armed == Some(id) {
                    self.delete_armed = None;
                    cmds.push(Cmd::Delete { conversation, id });
                } else {
                    self.delete_armed = Some(id);
                    let key = self
                        .keymap
                        .hint(Layer::Messages, Action::Delete)
                        .unwrap_or_default();
                    self.tell(format!("press {key} again to delete this message"), false);
                }
            }
            Action::OpenAttachment => {
                let link = self
                    .selected_message()
                    .and_then(|m| m.attachments.first().cloned());
                match link {
                    Some(link) => cmds.push(Cmd::OpenUrl(link)),
                    None => self.tell("this message has no attachment".into(), false),
                }
            }
            Action::Up | Action::Down => {
                let ordered = self.sidebar.ordered();
                let here = self
                    .sidebar_cursor
                    .and_then(|c| ordered.iter().position(|o| *o == c));
                let next = match (here, action == Action::Down) {
                    (None, _) => ordered.first(),
                    (Some(i), true) => ordered.get(i + 1).or(ordered.get(i)),
                    (Some(i), false) => ordered.get(i.saturating_sub(1)),
                };
                self.sidebar_cursor = next.copied();
            }
            Action::Open => {
                if let Some(conversation) = self.sidebar_cursor {
                    self.open(conversation, cmds);
                }
            }
        }
    }

    fn on_mouse(&mut self, mouse: crossterm::event::MouseEvent, cmds: &mut Vec<Cmd>) {
        let at = Position::new(mouse.column, mouse.row);
        match mouse.kind {
            MouseEventKind::ScrollUp if self.hits.messages.contains(at) => {
                self.scroll_by(WHEEL_LINES as isize, cmds)
            }
            MouseEventKind::ScrollDown if self.hits.messages.contains(at) => {
                self.scroll_by(-(WHEEL_LINES as isize), cmds)
            }
            MouseEventKind::Down(MouseButton::Left) if self.hits.sidebar.contains(at) => {
                let hit: Option<Conversation> = self
                    .hits
                    .sidebar_rows
                    .iter()
                    .find(|(row, _)| *row == mouse.row)
                    .map(|(_, c)| *c);
                if let Some(conversation) = hit {
                    self.overlay = None;
                    self.open(conversation, cmds);
                }
            }
            MouseEventKind::Down(MouseButton::Left) if self.hits.messages.contains(at) => {
                self.focus = Focus::Composer;
            }
            _ => self.dirty = false,
        }
    }

    /// Scrolls the open conversation by `lines` (up when positive); back at the bottom,
    /// what is shown is marked read.
    fn scroll_by(&mut self, lines: isize, cmds: &mut Vec<Cmd>) {
        let Some(timeline) = self.current.and_then(|c| self.timelines.get_mut(&c)) else {
            return;
        };
        timeline.scroll = timeline.scroll.saturating_add_signed(lines);
        if timeline.scroll == 0 {
            self.mark_read(cmds);
        }
    }

    fn select_step(&mut self, older: bool) {
        let Some(timeline) = self.current.and_then(|c| self.timelines.get_mut(&c)) else {
            return;
        };
        if let Some(next) = timeline.step(timeline.selected, older) {
            timeline.selected = Some(next);
        }
        self.delete_armed = None;
    }

    fn leave_selection(&mut self) {
        if let Some(timeline) = self.current.and_then(|c| self.timelines.get_mut(&c)) {
            timeline.selected = None;
        }
        self.delete_armed = None;
    }

    fn selected(&self) -> Option<socmel_client::types::MessageId> {
        self.current
            .and_then(|c| self.timelines.get(&c))
            .and_then(|t| t.selected)
    }

    fn selected_message(&self) -> Option<&crate::timeline::ChatMessage> {
        let timeline = self.timelines.get(&self.current?)?;
        timeline.get(timeline.selected?)
    }
}
