//! Taking the terminal over and always giving it back: on exit, on error and on panic.

use std::io::{self, Stdout, Write};

use crossterm::{
    event::{
        DisableBracketedPaste, DisableFocusChange, DisableMouseCapture, EnableBracketedPaste,
        EnableFocusChange, EnableMouseCapture, KeyboardEnhancementFlags,
        PopKeyboardEnhancementFlags, PushKeyboardEnhancementFlags,
    },
    execute,
    terminal::{self, EnterAlternateScreen, LeaveAlternateScreen},
};
use ratatui::{Terminal, backend::CrosstermBackend};

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Raw mode, the alternate screen, bracketed paste (a pasted block is one message),
/// mouse and focus reports, and — where the terminal supports it — the keyboard
/// protocol that tells Shift+Enter from Enter.
pub fn setup(mouse: bool) -> io::Result<Term> {
    install_panic_hook();
    terminal::enable_raw_mode()?;
    let mut out = io::stdout();
    execute!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        EnableFocusChange
    )?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    if terminal::supports_keyboard_enhancement().unwrap_or(false) {
        execute!(
            out,
            PushKeyboardEnhancementFlags(KeyboardEnhancementFlags::DISAMBIGUATE_ESCAPE_CODES)
        )?;
    }
    // Cleared directly: `Terminal::clear` asks the terminal where its cursor is, and a
    // terminal that does not answer would stop the app from starting.
    execute!(out, terminal::Clear(terminal::ClearType::All))?;
    let mut term = Terminal::new(CrosstermBackend::new(out))?;
    term.hide_cursor()?;
    Ok(term)
}

/// Puts the terminal back as it was. Safe to call twice.
pub fn restore() {
    let mut out = io::stdout();
    // Each step is tried even if one fails: a half-restored terminal is the worst case.
    let _ = execute!(out, PopKeyboardEnhancementFlags);
    let _ = execute!(
        out,
        DisableMouseCapture,
        DisableFocusChange,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = terminal::disable_raw_mode();
    let _ = out.flush();
}

/// Once, however often the terminal is taken over (it is given back for the editor).
fn install_panic_hook() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
