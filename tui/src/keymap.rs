//! Keys → actions, in layers: an overlay (the switcher, help) first, then the focused
//! pane, then global keys. Defaults are compiled in; `keymap.toml` in the config folder
//! replaces the keys of any action it names. The help screen and the footer's hints are
//! generated from the same table, so they never disagree with what the keys do.
//!
//! ```toml
//! [global]
//! switcher = ["ctrl-k", "ctrl-p"]
//! [composer]
//! newline = ["alt-enter", "shift-enter", "ctrl-j"]
//! ```

use std::{collections::HashMap, fmt, path::Path, str::FromStr};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

/// Where a key is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    Global,
    Composer,
    Messages,
    Sidebar,
    Switcher,
}

impl Layer {
    pub const ALL: [Layer; 5] = [
        Layer::Global,
        Layer::Composer,
        Layer::Messages,
        Layer::Sidebar,
        Layer::Switcher,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "Everywhere",
            Self::Composer => "Composer",
            Self::Messages => "Messages (Tab from the composer)",
            Self::Sidebar => "Sidebar",
            Self::Switcher => "Switcher (Ctrl+K)",
        }
    }
}

macro_rules! actions {
    ($($variant:ident => $name:literal, $help:literal;)*) => {
        /// Everything a key can do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($variant,)* }

        impl Action {
            pub const ALL: &[Action] = &[$(Action::$variant,)*];

            /// The name used in `keymap.toml`.
            pub fn name(self) -> &'static str {
                match self { $(Self::$variant => $name,)* }
            }

            pub fn help(self) -> &'static str {
                match self { $(Self::$variant => $help,)* }
            }
        }

        impl FromStr for Action {
            type Err = String;
            fn from_str(name: &str) -> Result<Self, String> {
                match name {
                    $($name => Ok(Self::$variant),)*
                    other => Err(format!("unknown action `{other}`")),
                }
            }
        }
    };
}

actions! {
    Quit => "quit", "quit";
    Switcher => "switcher", "jump to a room, group, DM or person";
    NextUnread => "next_unread", "next unread conversation (mentions first)";
    Help => "help", "show or hide this help";
    ToggleSidebar => "toggle_sidebar", "show or hide the sidebar";
    ToggleMembers => "toggle_members", "show or hide the member list";
    FocusNext => "focus_next", "move focus: composer → messages → sidebar";
    PrevConversation => "previous_conversation", "previous conversation in the sidebar";
    NextConversation => "next_conversation", "next conversation in the sidebar";
    ScrollUp => "scroll_up", "scroll up a page (loads older messages)";
    ScrollDown => "scroll_down", "scroll down a page";
    Reconnect => "reconnect", "reconnect now instead of waiting";
    Send => "send", "send the message";
    Newline => "newline", "new line in the message";
    EditLast => "edit_last", "edit your last message (empty composer)";
    OpenEditor => "open_editor", "write the message in $VISUAL / $EDITOR";
    Cancel => "cancel", "cancel reply or edit; close an overlay";
    SelectOlder => "select_older", "select the older message";
    SelectNewer => "select_newer", "select the newer message";
    Reply => "reply", "reply to the selected message";
    Edit => "edit", "edit the selected message (yours)";
    Delete => "delete", "delete the selected message (press twice)";
    OpenAttachment => "open_attachment", "open the selected message's attachment";
    Up => "up", "move up";
    Down => "down", "move down";
    Open => "open", "open the highlighted entry";
}

/// A key with its modifiers, as written in `keymap.toml` (`ctrl-k`, `alt-enter`, `?`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    /// The key as looked up: Shift is dropped from characters (it is in the character).
    pub fn from_event(event: &KeyEvent) -> Self {
        let mut modifiers =
            event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match event.code {
            KeyCode::Char(c) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::Char(if modifiers.is_empty() {
                    c
                } else {
                    c.to_ascii_lowercase()
                })
            }
            KeyCode::BackTab => {
                modifiers.insert(KeyModifiers::SHIFT);
                KeyCode::Tab
            }
            other => other,
        };
        Self { code, modifiers }
    }
}

impl FromStr for Key {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (flag, len) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            if rest.len() == len {
                break; // "ctrl-" alone: the key is "-" below
            }
            modifiers |= flag;
            rest = &rest[len..];
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "space" => KeyCode::Char(' '),
            lower if lower.len() > 1 && lower.starts_with('f') => lower[1..]
                .parse::<u8>()
                .map(KeyCode::F)
                .map_err(|_| format!("unknown key `{text}`"))?,
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(if modifiers.is_empty() {
                        c
                    } else {
                        c.to_ascii_lowercase()
                    }),
                    _ => return Err(format!("unknown key `{text}`")),
                }
            }
        };
        Ok(Self { code, modifiers })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl+")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt+")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift+")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if !self.modifiers.is_empty() => {
                write!(f, "{}", c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            other => write!(f, "{other}"),
        }
    }
}

const DEFAULTS: &[(Layer, Action, &[&str])] = &[
    (Layer::Global, Action::Quit, &["ctrl-c", "ctrl-q"]),
    (Layer::Global, Action::Switcher, &["ctrl-k"]),
    (Layer::Global, Action::NextUnread, &["alt-a"]),
    (Layer::Global, Action::Help, &["f1"]),
    (Layer::Global, Action::ToggleSidebar, &["ctrl-b"]),
    (Layer::Global, Action::ToggleMembers, &["alt-m"]),
    (Layer::Global, Action::FocusNext, &["tab"]),
    (Layer::Global, Action::PrevConversation, &["alt-up"]),
    (Layer::Global, Action::NextConversation, &["alt-down"]),
    (Layer::Global, Action::ScrollUp, &["pageup"]),
    (Layer::Global, Action::ScrollDown, &["pagedown"]),
    (Layer::Global, Action::Reconnect, &["f5"]),
    (Layer::Composer, Action::Send, &["enter"]),
    (
        Layer::Composer,
        Action::Newline,
        &["alt-enter", "shift-enter", "ctrl-j"],
    ),
    (Layer::Composer, Action::EditLast, &["up"]),
    (Layer::Composer, Action::OpenEditor, &["ctrl-e"]),
    (Layer::Composer, Action::Cancel, &["esc"]),
    (Layer::Messages, Action::SelectOlder, &["up", "k"]),
    (Layer::Messages, Action::SelectNewer, &["down", "j"]),
    (Layer::Messages, Action::Reply, &["r", "ctrl-r"]),
    (Layer::Messages, Action::Edit, &["e"]),
    (Layer::Messages, Action::Delete, &["d", "delete"]),
    (Layer::Messages, Action::OpenAttachment, &["o"]),
    (Layer::Messages, Action::Help, &["?"]),
    (Layer::Messages, Action::Cancel, &["esc"]),
    (Layer::Sidebar, Action::Up, &["up", "k"]),
    (Layer::Sidebar, Action::Down, &["down", "j"]),
    (Layer::Sidebar, Action::Open, &["enter"]),
    (Layer::Sidebar, Action::Help, &["?"]),
    (Layer::Sidebar, Action::Cancel, &["esc"]),
    (Layer::Switcher, Action::Up, &["up", "ctrl-p"]),
    (Layer::Switcher, Action::Down, &["down", "ctrl-n"]),
    (Layer::Switcher, Action::Open, &["enter"]),
    (Layer::Switcher, Action::Cancel, &["esc"]),
];

#[derive(Debug, Clone)]
pub struct Keymap {
    /// Each layer's actions in help order, with their keys.
    bindings: Vec<(Layer, Action, Vec<Key>)>,
    lookup: HashMap<(Layer, Key), Action>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = DEFAULTS
            .iter()
            .map(|(layer, action, keys)| {
                let keys = keys
                    .iter()
                    .map(|k| k.parse().expect("the default keys parse"))
                    .collect();
                (*layer, *action, keys)
            })
            .collect();
        Self::from_bindings(bindings)
    }
}

impl Keymap {
    fn from_bindings(bindings: Vec<(Layer, Action, Vec<Key>)>) -> Self {
        let mut lookup = HashMap::new();
        for (layer, action, keys) in &bindings {
            for key in keys {
                lookup.insert((*layer, *key), *action);
            }
        }
        Self { bindings, lookup }
    }

    /// The defaults with `text` (a `keymap.toml`) applied: each action it names gets the
    /// keys given there instead of its default ones.
    pub fn with_overrides(text: &str) -> Result<Self, String> {
        let table: HashMap<Layer, HashMap<String, Vec<String>>> =
            toml::from_str(text).map_err(|err| err.to_string())?;
        let mut bindings = Self::default().bindings;
        for (layer, actions) in table {
            for (name, keys) in actions {
                let action: Action = name.parse()?;
                let keys = keys
                    .iter()
                    .map(|k| k.parse::<Key>())
                    .collect::<Result<Vec<_>, _>>()?;
                match bindings
                    .iter_mut()
                    .find(|(l, a, _)| *l == layer && *a == action)
                {
                    Some((_, _, existing)) => *existing = keys,
                    None => bindings.push((layer, action, keys)),
                }
            }
        }
        Ok(Self::from_bindings(bindings))
    }

    /// Loads `path` when it exists; the defaults otherwise.
    pub fn load(path: &Path) -> Result<Self, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                Self::with_overrides(&text).map_err(|err| format!("{}: {err}", path.display()))
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(err) => Err(format!("{}: {err}", path.display())),
        }
    }

    /// The action for `key`, looked up in `layers` in order.
    pub fn action(&self, layers: &[Layer], key: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(key);
        layers
            .iter()
            .find_map(|layer| self.lookup.get(&(*layer, key)).copied())
    }

    /// The keys bound to `action` in `layer`, for hints.
    pub fn keys(&self, layer: Layer, action: Action) -> &[Key] {
        self.bindings
            .iter()
            .find(|(l, a, _)| *l == layer && *a == action)
            .map_or(&[], |(_, _, keys)| keys.as_slice())
    }

    /// A short hint: the first key of `action` (`Ctrl+K`).
    pub fn hint(&self, layer: Layer, action: Action) -> Option<String> {
        self.keys(layer, action).first().map(ToString::to_string)
    }

    /// Every binding of `layer`, in help order.
    pub fn layer(&self, layer: Layer) -> impl Iterator<Item = (Action, &[Key])> {
        self.bindings
            .iter()
            .filter(move |(l, _, keys)| *l == layer && !keys.is_empty())
            .map(|(_, action, keys)| (*action, keys.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyEventKind;

    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers,
            kind: KeyEventKind::Press,
            state: crossterm::event::KeyEventState::NONE,
        }
    }

    #[test]
    fn every_default_key_parses_and_layers_are_searched_in_order() {
        let keymap = Keymap::default();
        let up = press(KeyCode::Up, KeyModifiers::NONE);
        assert_eq!(
            keymap.action(&[Layer::Switcher, Layer::Global], &up),
            Some(Action::Up)
        );
        assert_eq!(
            keymap.action(&[Layer::Composer, Layer::Global], &up),
            Some(Action::EditLast)
        );
        let ctrl_k = press(KeyCode::Char('k'), KeyModifiers::CONTROL);
        assert_eq!(
            keymap.action(&[Layer::Composer, Layer::Global], &ctrl_k),
            Some(Action::Switcher)
        );
        // A plain letter in the composer is text, not an action.
        let k = press(KeyCode::Char('k'), KeyModifiers::NONE);
        assert_eq!(keymap.action(&[Layer::Composer, Layer::Global], &k), None);
        let shift_question = press(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(
            keymap.action(&[Layer::Messages], &shift_question),
            Some(Action::Help)
        );
        let shift_enter = press(KeyCode::Enter, KeyModifiers::SHIFT);
        assert_eq!(
            keymap.action(&[Layer::Composer], &shift_enter),
            Some(Action::Newline)
        );
    }

    #[test]
    fn a_keymap_file_replaces_the_keys_of_the_actions_it_names() {
        let keymap = Keymap::with_overrides(
            "[global]\nswitcher = [\"ctrl-p\"]\n[composer]\nsend = [\"ctrl-s\"]\n",
        )
        .unwrap();
        let ctrl_p = press(KeyCode::Char('p'), KeyModifiers::CONTROL);
        let ctrl_k = press(KeyCode::Char('k'), KeyModifiers::CONTROL);
        assert_eq!(
            keymap.action(&[Layer::Global], &ctrl_p),
            Some(Action::Switcher)
        );
        assert_eq!(keymap.action(&[Layer::Global], &ctrl_k), None);
        assert_eq!(
            keymap.hint(Layer::Composer, Action::Send).as_deref(),
            Some("Ctrl+S")
        );
        // Untouched actions keep their defaults.
        assert_eq!(
            keymap.hint(Layer::Global, Action::NextUnread).as_deref(),
            Some("Alt+A")
        );
    }

    #[test]
    fn bad_keymap_files_are_refused_with_the_reason() {
        let err = Keymap::with_overrides("[global]\nfly = [\"ctrl-f\"]\n").unwrap_err();
        assert!(err.contains("unknown action `fly`"), "{err}");
        let err = Keymap::with_overrides("[global]\nquit = [\"ctrl-banana\"]\n").unwrap_err();
        assert!(err.contains("unknown key"), "{err}");
        assert!(Keymap::with_overrides("[nowhere]\nquit = []\n").is_err());
    }

    #[test]
    fn keys_print_the_way_help_shows_them() {
        let key: Key = "alt-enter".parse().unwrap();
        assert_eq!(key.to_string(), "Alt+Enter");
        assert_eq!("ctrl-k".parse::<Key>().unwrap().to_string(), "Ctrl+K");
        assert_eq!("?".parse::<Key>().unwrap().to_string(), "?");
        assert_eq!("f1".parse::<Key>().unwrap().to_string(), "F1");
    }
}
