//! Writing a message in the person's own editor (`$VISUAL`, else `$EDITOR`, else `vi`):
//! the draft goes into a private temporary file, the editor runs on the real terminal
//! (the app has given it back), and what was saved comes back as the draft.

use std::process::Command;

/// Runs the editor on `draft`; the text saved, without the final line break editors
/// add. An editor that fails or cannot be started leaves the draft as it was (`Err`
/// says why).
pub fn edit(draft: &str) -> Result<String, String> {
    let file = tempfile::Builder::new()
        .prefix("socmel-message-")
        .suffix(".md")
        .tempfile()
        .map_err(|err| format!("could not make a file for the editor: {err}"))?;
    std::fs::write(file.path(), draft)
        .map_err(|err| format!("could not write the draft for the editor: {err}"))?;
    let editor = std::env::var("VISUAL")
        .ok()
        .or_else(|| std::env::var("EDITOR").ok())
        .filter(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".to_owned());
    let status = command(&editor, file.path())
        .status()
        .map_err(|err| format!("could not start {editor}: {err}"))?;
    if !status.success() {
        return Err(format!(
            "{editor} failed ({status}); the draft is unchanged"
        ));
    }
    let text = std::fs::read_to_string(file.path())
        .map_err(|err| format!("could not read what {editor} saved: {err}"))?;
    Ok(text.strip_suffix('\n').unwrap_or(&text).to_owned())
}

/// The editor command as a shell would run it, so `EDITOR="code --wait"` works.
#[cfg(unix)]
fn command(editor: &str, path: &std::path::Path) -> Command {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(path);
    command
}

#[cfg(not(unix))]
fn command(editor: &str, path: &std::path::Path) -> Command {
    let mut words = editor.split_whitespace();
    let mut command = Command::new(words.next().unwrap_or("notepad"));
    command.args(words).arg(path);
    command
}
