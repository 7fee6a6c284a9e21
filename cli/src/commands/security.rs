//! `socmel security …`: verification codes sent by email, and what they unlock.

use clap::{Subcommand, ValueEnum};
use socmel_client::types::security::{
    ChangeEmail, ChangePassword, CodePurpose, CodeRequest, ResetPassword,
};

use crate::{
    context::{Ctx, TokenSource},
    error::CliResult,
    secrets::{NEW_PASSWORD_ENV, PASSWORD_ENV, Secrets, Want},
};

#[derive(Debug, Subcommand)]
pub enum SecurityCmd {
    /// Email a verification code for one purpose
    Code {
        /// The account's email (the code is sent there)
        #[arg(long, short)]
        email: String,
        /// What the code is for
        #[arg(long, short, value_enum)]
        purpose: Purpose,
    },
    /// Change the account's email with a CHANGE_EMAIL code (signs out every session:
    /// log in again)
    ChangeEmail {
        /// The account's current email
        #[arg(long)]
        old_email: String,
        /// The email to use from now on
        #[arg(long)]
        new_email: String,
        /// The code from the email
        #[arg(long)]
        code: String,
    },
    /// Change the password with a CHANGE_PASSWORD code (current and new password from
    /// --password-stdin as two lines, SOCMEL_PASSWORD + SOCMEL_NEW_PASSWORD, or prompts;
    /// signs out every session: log in again)
    ChangePassword {
        /// The account's email
        #[arg(long, short)]
        email: String,
        /// The CHANGE_PASSWORD code from the email
        #[arg(long)]
        code: String,
        /// Read the current password, then the new one, one per line from stdin
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password with a RESET_PASSWORD code (new password from --password-stdin,
    /// SOCMEL_NEW_PASSWORD or a prompt)
    ResetPassword {
        /// The account's email
        #[arg(long, short)]
        email: String,
        /// The RESET_PASSWORD code from the email
        #[arg(long)]
        code: String,
        /// Read the new password from the first line of stdin
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Purpose {
    /// For `security change-email`
    ChangeEmail,
    /// For `security change-password`
    ChangePassword,
    /// For `security reset-password` (a forgotten password)
    ResetPassword,
}

impl From<Purpose> for CodePurpose {
    fn from(purpose: Purpose) -> Self {
        match purpose {
            Purpose::ChangeEmail => Self::ChangeEmail,
            Purpose::ChangePassword => Self::ChangePassword,
            Purpose::ResetPassword => Self::ResetPassword,
        }
    }
}

const CURRENT: Want = Want {
    what: "current password",
    env: PASSWORD_ENV,
    confirm: false,
};
const NEW: Want = Want {
    what: "new password",
    env: NEW_PASSWORD_ENV,
    confirm: true,
};

pub async fn run(ctx: &mut Ctx, cmd: SecurityCmd) -> CliResult {
    // A password or email change signs out every session, this one included.
    let ends_sessions = matches!(
        cmd,
        SecurityCmd::ChangeEmail { .. } | SecurityCmd::ChangePassword { .. }
    );
    let detail = match cmd {
        SecurityCmd::Code { email, purpose } => {
            let body = &CodeRequest {
                email,
                purpose: purpose.into(),
            };
            ctx.call(|c| async move { c.request_verification_code(body).await })
                .await?
        }
        SecurityCmd::ChangeEmail {
            old_email,
            new_email,
            code,
        } => {
            let body = &ChangeEmail {
                old_email,
                new_email,
                key: code,
            };
            ctx.call(|c| async move { c.change_email(body).await })
                .await?
        }
        SecurityCmd::ChangePassword {
            email,
            code,
            password_stdin,
        } => {
            let mut secrets = Secrets::new(password_stdin)?;
            let old_password = secrets.get(&CURRENT)?;
            let new_password = secrets.get(&NEW)?;
            let body = &ChangePassword {
                email,
                old_password,
                new_password_confirm: new_password.clone(),
                new_password,
                key: code,
            };
            ctx.call(|c| async move { c.change_password(body).await })
                .await?
        }
        SecurityCmd::ResetPassword {
            email,
            code,
            password_stdin,
        } => {
            let new_password = Secrets::new(password_stdin)?.get(&NEW)?;
            let body = &ResetPassword {
                email,
                new_password_confirm: new_password.clone(),
                new_password,
                key: code,
            };
            ctx.call(|c| async move { c.reset_password(body).await })
                .await?
        }
    };
    if ends_sessions && ctx.token_source == TokenSource::Profile {
        ctx.forget_login()?;
    }
    ctx.out.ack(&detail, &detail.detail)
}
