//! Getting someone's attention when a DM or a mention arrives while they are looking
//! elsewhere: the terminal bell (which also marks the window in tmux and most
//! terminals' tab bars) and/or a desktop notification asked of the terminal itself
//! (OSC 9: iTerm2, WezTerm, Ghostty, kitty, foot, Windows Terminal…), which works over
//! SSH where a D-Bus notification would not.

use std::io::Write;

/// How the app gets attention (`--notify`, `SOCMEL_NOTIFY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Attention {
    /// Nothing.
    Off,
    /// The terminal bell.
    #[default]
    Bell,
    /// A desktop notification through the terminal (OSC 9).
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

impl Attention {
    /// The bytes that ask the terminal for attention in this mode.
    pub fn sequence(self, alert: &Alert) -> String {
        let bell = "\x07";
        let desktop = || {
            format!(
                "\x1b]9;{}: {}\x07",
                printable(&alert.title),
                printable(&alert.body)
            )
        };
        match self {
            Self::Off => String::new(),
            Self::Bell => bell.to_owned(),
            Self::Desktop => desktop(),
            Self::Both => desktop() + bell,
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

    #[test]
    fn sequences_per_mode_and_nothing_escapes_the_text() {
        let alert = Alert {
            title: "bob".into(),
            body: "hi\x07\x1b]0;owned\x1b\\\nthere".into(),
        };
        assert_eq!(Attention::Off.sequence(&alert), "");
        assert_eq!(Attention::Bell.sequence(&alert), "\x07");
        let desktop = Attention::Desktop.sequence(&alert);
        assert_eq!(desktop, "\x1b]9;bob: hi  ]0;owned \\ there\x07");
        assert_eq!(
            desktop.chars().filter(|c| c.is_control()).count(),
            2,
            "only the sequence's own ESC and BEL"
        );
        assert_eq!(Attention::Both.sequence(&alert), format!("{desktop}\x07"));
        let long = Alert {
            title: "bob".into(),
            body: "x".repeat(500),
        };
        assert!(
            Attention::Desktop
                .sequence(&long)
                .contains(&format!("{}…", "x".repeat(160)))
        );
    }
}
