//! The message composer: a multi-line text area (ratatui-textarea: undo, word motions,
//! soft wrapping), plus what the message will be (a reply, or an edit of a sent one).

use crossterm::event::KeyEvent;
use ratatui_textarea::{TextArea, WrapMode};
use socmel_client::types::MessageId;

/// The server's limit; longer messages are refused before sending.
pub const MAX_CHARS: usize = 4000;

pub struct Composer {
    area: TextArea<'static>,
    pub reply_to: Option<MessageId>,
    pub editing: Option<MessageId>,
}

impl Default for Composer {
    fn default() -> Self {
        let mut area = TextArea::default();
        area.set_wrap_mode(WrapMode::WordOrGlyph);
        area.set_cursor_line_style(ratatui::style::Style::default());
        Self {
            area,
            reply_to: None,
            editing: None,
        }
    }
}

impl std::fmt::Debug for Composer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Composer")
            .field("text", &self.text())
            .field("reply_to", &self.reply_to)
            .field("editing", &self.editing)
            .finish()
    }
}

impl Composer {
    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    pub fn is_empty(&self) -> bool {
        self.area.lines().iter().all(String::is_empty)
    }

    pub fn line_count(&self) -> usize {
        self.area.lines().len()
    }

    /// Replaces the text, cursor at the end.
    pub fn set_text(&mut self, text: &str) {
        self.area.select_all();
        self.area.cut();
        self.area.insert_str(text);
    }

    /// Empties the composer and forgets the reply or edit.
    pub fn reset(&mut self) {
        self.set_text("");
        self.reply_to = None;
        self.editing = None;
    }

    /// A key the keymap did not claim; `true` when the text changed.
    pub fn input(&mut self, key: KeyEvent) -> bool {
        self.area.input(key)
    }

    pub fn newline(&mut self) {
        self.area.insert_newline();
    }

    /// A paste is inserted whole, newlines included: it becomes one message.
    pub fn paste(&mut self, text: &str) {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        self.area.insert_str(text);
    }

    pub fn set_placeholder(&mut self, text: &str) {
        if self.area.placeholder_text() != text {
            self.area.set_placeholder_text(text);
        }
    }

    pub fn widget(&self) -> &TextArea<'static> {
        &self.area
    }

    pub fn area_mut(&mut self) -> &mut TextArea<'static> {
        &mut self.area
    }
}

/// Why a draft cannot be sent, if it cannot.
pub fn check(text: &str) -> Result<(), String> {
    let count = text.chars().count();
    if text.trim().is_empty() {
        Err("nothing to send".into())
    } else if count > MAX_CHARS {
        Err(format!(
            "too long: {count} characters, the limit is {MAX_CHARS} (draft kept)"
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_lines_stay_one_message_and_set_text_replaces() {
        let mut composer = Composer::default();
        composer.paste("one\r\ntwo\nthree");
        assert_eq!(composer.text(), "one\ntwo\nthree");
        assert_eq!(composer.line_count(), 3);
        composer.set_text("fresh");
        assert_eq!(composer.text(), "fresh");
        composer.reply_to = Some(MessageId(1));
        composer.reset();
        assert!(composer.is_empty());
        assert_eq!(composer.reply_to, None);
    }

    #[test]
    fn drafts_over_the_limit_are_refused_with_the_reason() {
        assert!(check("hi").is_ok());
        assert!(check("  \n ").is_err());
        let long = "é".repeat(MAX_CHARS + 1);
        let err = check(&long).unwrap_err();
        assert!(err.contains("4001 characters"), "{err}");
        assert!(check(&"é".repeat(MAX_CHARS)).is_ok());
    }
}
