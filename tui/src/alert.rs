//! Getting someone's attention when a DM or a mention arrives while they are looking
//! elsewhere: the terminal bell (which also marks the window in tmux and most
//! terminals' tab bars) and/or a desktop notification asked of the terminal itself,
//! which works over SSH where a D-Bus notification would not. Terminals disagree on
//! the sequence and none can be asked which it knows, so it is chosen from the
//! environment the terminal sets: OSC 9 for iTerm2, OSC 99 for kitty, OSC 777 for the
//! rest that have one (Ghostty, WezTerm, foot, VTE terminals, urxvt).

use std::io::Write;

/// How the app gets attention (`--notify`, `SOCMEL_NOTIFY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Attention {
    /// Nothing.
    Off,
    /// The terminal bell.
    #[default]
    Bell,
    /// A desktop notification through the terminal.
    Desktop,
    /// Both.
    Both,
}

/// Something worth a notification: who (and where), and what they said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub title: String,
    pub body: String,
}

/// Longest notification text: a glance, not the message.
const LONGEST: usize = 160;

/// The desktop-notification sequence a terminal understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Desktop {
    /// iTerm2's `OSC 9 ; text`.
    Osc9,
    /// kitty's `OSC 99 ; ; text`.
    Osc99,
    /// `OSC 777 ; notify ; title ; body`.
    #[default]
    Osc777,
}

impl Desktop {
    /// From what the terminal put in the environment (`TERM_PROGRAM`, `KITTY_WINDOW_ID`).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Self {
        if var("KITTY_WINDOW_ID").is_some() {
            Self::Osc99
        } else if var("TERM_PROGRAM").is_some_and(|p| p == "iTerm.app") {
            Self::Osc9
        } else {
            Self::Osc777
        }
    }
}

/// How alerts are delivered: the person's choice and the terminal's dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Notifier {
    pub attention: Attention,
    pub desktop: Desktop,
}

impl Notifier {
    /// The bytes that ask the terminal for attention.
    pub fn sequence(self, alert: &Alert) -> String {
        let bell = "\x07";
        let (title, body) = (printable(&alert.title), printable(&alert.body));
        let desktop = || match self.desktop {
            Desktop::Osc9 => format!("\x1b]9;{title}: {body}\x1b\\"),
            Desktop::Osc99 => format!("\x1b]99;;{title}: {body}\x1b\\"),
            // `;` separates the fields here.
            Desktop::Osc777 => format!(
                "\x1b]777;notify;{};{}\x1b\\",
                title.replace(';', ","),
                body.replace(';', ",")
            ),
        };
        match self.attention {
            Attention::Off => String::new(),
            Attention::Bell => bell.to_owned(),
            Attention::Desktop => desktop(),
            Attention::Both => desktop() + bell,
        }
    }

    /// Writes the sequence to the terminal. Called between frames, from the task that
    /// draws, so it never lands inside another escape sequence.
    pub fn ring(self, alert: &Alert) {
        let sequence = self.sequence(alert);
        if sequence.is_empty() {
            return;
        }
        let mut out = std::io::stdout().lock();
        // Attention is best effort: a terminal that went away is handled by the loop.
        let _ = out.write_all(sequence.as_bytes());
        let _ = out.flush();
    }
}

/// Text safe inside an escape sequence: one line, no control characters (a message
/// must never be able to end the sequence and speak to the terminal), shortened.
fn printable(text: &str) -> String {
    let mut line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(LONGEST)
        .collect();
    if text.chars().count() > LONGEST {
        line.push('…');
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notifier(attention: Attention, desktop: Desktop) -> Notifier {
        Notifier { attention, desktop }
    }

    #[test]
    fn sequences_per_mode_and_terminal_and_nothing_escapes_the_text() {
        let alert = Alert {
            title: "bob".into(),
            body: "hi\x07\x1b]0;owned\x1b\\\nthere".into(),
        };
        assert_eq!(notifier(Attention::Off, Desktop::Osc9).sequence(&alert), "");
        assert_eq!(
            notifier(Attention::Bell, Desktop::Osc9).sequence(&alert),
            "\x07"
        );
        let iterm = notifier(Attention::Desktop, Desktop::Osc9).sequence(&alert);
        assert_eq!(iterm, "\x1b]9;bob: hi  ]0;owned \\ there\x1b\\");
        assert_eq!(
            iterm.chars().filter(|c| c.is_control()).count(),
            2,
            "only the sequence's own two ESCs"
        );
        let kitty = notifier(Attention::Desktop, Desktop::Osc99).sequence(&alert);
        assert!(kitty.starts_with("\x1b]99;;bob: hi "), "{kitty:?}");
        let other = notifier(Attention::Both, Desktop::Osc777).sequence(&alert);
        assert_eq!(
            other, "\x1b]777;notify;bob;hi  ]0,owned \\ there\x1b\\\x07",
            "fields cannot be split by the text either"
        );
        let long = Alert {
            title: "bob".into(),
            body: "x".repeat(500),
        };
        let sequence = notifier(Attention::Desktop, Desktop::Osc9).sequence(&long);
        assert!(sequence.contains(&format!("{}…", "x".repeat(160))));
    }

    #[test]
    fn the_terminal_is_told_apart_by_its_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(
            Desktop::from_env(env(&[("KITTY_WINDOW_ID", "1")])),
            Desktop::Osc99
        );
        assert_eq!(
            Desktop::from_env(env(&[("TERM_PROGRAM", "iTerm.app")])),
            Desktop::Osc9
        );
        assert_eq!(
            Desktop::from_env(env(&[("TERM_PROGRAM", "WezTerm")])),
            Desktop::Osc777
        );
        assert_eq!(Desktop::from_env(env(&[])), Desktop::Osc777);
    }
}
