//! `socmel note …`: your short status, shown for 24 hours.

use clap::Subcommand;

use crate::{
    context::Ctx,
    error::CliResult,
    output::{Table, opt},
    people::UserRef,
    text,
};

#[derive(Debug, Subcommand)]
pub enum NoteCmd {
    /// Set your note (replaces the one you had)
    Set {
        /// The note; `-` reads stdin, @FILE reads a file
        #[arg(allow_hyphen_values = true)]
        text: String,
    },
    /// Show a user's note, or yours
    Show {
        /// Whose: bob, @bob, #7 or 7 [default: yours]
        user: Option<UserRef>,
    },
    /// Remove your note
    Clear,
}

pub async fn run(ctx: &mut Ctx, cmd: NoteCmd) -> CliResult {
    match cmd {
        NoteCmd::Set { text } => {
            let text = text::expand(text, "note")?;
            let text = text.as_str();
            let saved = ctx.call(|c| async move { c.set_note(text).await }).await?;
            let sentence = format!("{} (until {}).", saved.message, saved.expires_at);
            ctx.out.ack(&saved, &sentence)
        }
        NoteCmd::Show { user } => {
            let user = match user {
                Some(user) => user.resolve(ctx).await?,
                None => ctx.call(|c| async move { c.get_me().await }).await?.id,
            };
            let note = ctx.call(|c| async move { c.get_note(user).await }).await?;
            ctx.out.show(&note, |out| {
                if !note.exists {
                    eprintln!("(no note)");
                    return;
                }
                Table::fields(&[
                    ("note", note.note.clone()),
                    ("set", out.opt_time(note.created_at)),
                    ("expires", opt(note.expires_at.map(|at| out.time(at)))),
                ])
                .print(out);
            })
        }
        NoteCmd::Clear => {
            let message = ctx.call(|c| async move { c.delete_note().await }).await?;
            ctx.out.ack(&message, &message.message)
        }
    }
}
