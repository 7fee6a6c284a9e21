//! `socmel auth …`: accounts and the stored session.

use clap::{Args, Subcommand};
use serde_json::json;
use socmel_client::types::auth::UserCreate;

use crate::{
    context::{Ctx, TokenSource},
    error::{CliError, CliResult},
    output::Table,
    secrets::{PASSWORD_ENV, Secrets, Want},
};

#[derive(Debug, Subcommand)]
pub enum AuthCmd {
    /// Create an account (password from --password-stdin, SOCMEL_PASSWORD or a prompt)
    Register(RegisterArgs),
    /// Log in and store the token pair in the profile (password never as a flag);
    /// --json prints the signed-in user, never the tokens (see `auth token`)
    Login(LoginArgs),
    /// End this session on the server and forget the stored tokens
    Logout,
    /// End every session of this account, on every device, and forget the stored tokens
    LogoutAll,
    /// Who you are, on which server, and where the token is stored
    Status,
    /// Print the access token (refreshed first if it has expired)
    Token,
    /// Trade the stored refresh token for a new pair now
    Refresh,
}

#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// 3-32 characters of A-Z a-z 0-9 _ . -
    #[arg(long, short)]
    pub username: String,
    /// Your email (verification codes go there; shown to you only)
    #[arg(long, short)]
    pub email: String,
    /// Read the password from the first line of stdin
    #[arg(long)]
    pub password_stdin: bool,
    /// Also log in and store the session in the profile
    #[arg(long)]
    pub login: bool,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Username or email
    pub username: String,
    /// Read the password from the first line of stdin
    #[arg(long)]
    pub password_stdin: bool,
}

const PASSWORD: Want = Want {
    what: "password",
    env: PASSWORD_ENV,
    confirm: false,
};

pub async fn run(ctx: &mut Ctx, cmd: AuthCmd) -> CliResult {
    match cmd {
        AuthCmd::Register(args) => register(ctx, args).await,
        AuthCmd::Login(args) => login(ctx, args).await,
        AuthCmd::Logout => logout(ctx).await,
        AuthCmd::LogoutAll => logout_all(ctx).await,
        AuthCmd::Status => status(ctx).await,
        AuthCmd::Token => token(ctx).await,
        AuthCmd::Refresh => refresh(ctx).await,
    }
}

async fn register(ctx: &mut Ctx, args: RegisterArgs) -> CliResult {
    let password = Secrets::new(args.password_stdin)?.get(&Want {
        confirm: true,
        ..PASSWORD
    })?;
    let body = UserCreate {
        username: args.username.clone(),
        email: args.email,
        password: password.clone(),
    };
    let user = ctx.client.register(&body).await?;
    if args.login {
        let tokens = ctx.client.login(&args.username, &password).await?;
        ctx.save_login(&user, &tokens)?;
    }
    let mut sentence = format!("Registered {} (id {}).", user.username, user.id);
    if args.login {
        sentence.push_str(&format!(" Logged in; profile '{}'.", ctx.profile));
    }
    ctx.out.created(&user, user.id, &sentence)
}

async fn login(ctx: &mut Ctx, args: LoginArgs) -> CliResult {
    let password = Secrets::new(args.password_stdin)?.get(&PASSWORD)?;
    let tokens = ctx.client.login(&args.username, &password).await?;
    let user = ctx.client.current_user().await?;
    ctx.save_login(&user, &tokens)?;
    // Tokens are not printed here (scripts log their output); `auth token` prints one.
    ctx.out.ack(
        &user,
        &format!(
            "Logged in as {} on {} (profile '{}'); token stored in {}",
            user.username,
            ctx.server,
            ctx.profile,
            ctx.creds.path().display()
        ),
    )
}

async fn logout(ctx: &mut Ctx) -> CliResult {
    let refresh_token = (ctx.token_source == TokenSource::Profile)
        .then(|| ctx.stored().and_then(|p| p.refresh_token.clone()))
        .flatten()
        .ok_or_else(|| {
            CliError::Auth(format!(
                "profile '{}' has no stored session to log out of",
                ctx.profile
            ))
        })?;
    let detail = ctx.client.logout(&refresh_token).await;
    // The local copy goes whatever the server said: a dead session is logged out too.
    ctx.forget_login()?;
    let detail = detail?;
    ctx.out.ack(&detail, &detail.detail)
}

async fn logout_all(ctx: &mut Ctx) -> CliResult {
    let detail = ctx.call(|c| async move { c.logout_all().await }).await?;
    if ctx.token_source == TokenSource::Profile {
        ctx.forget_login()?;
    }
    ctx.out.ack(&detail, &detail.detail)
}

async fn status(ctx: &mut Ctx) -> CliResult {
    let user = if ctx.token_source == TokenSource::None {
        None
    } else {
        match ctx.call(|c| async move { c.current_user().await }).await {
            Ok(user) => Some(user),
            Err(err) if err.exit_code() == crate::error::exit::AUTH => None,
            Err(err) => return Err(err),
        }
    };
    let expires_at = (ctx.token_source == TokenSource::Profile)
        .then(|| ctx.stored().and_then(|p| p.expires_at))
        .flatten();
    let file = ctx.creds.path().display().to_string();
    let value = json!({
        "profile": ctx.profile,
        "server": ctx.server,
        "logged_in": user.is_some(),
        "user": user,
        "token_source": match ctx.token_source {
            TokenSource::Flag => "flag",
            TokenSource::Env => "env",
            TokenSource::Profile => "file",
            TokenSource::None => "none",
        },
        "credentials_file": file,
        "expires_at": expires_at,
    });
    let stored_in = match ctx.token_source {
        TokenSource::Profile => format!("plaintext file {file} (mode 0600)"),
        other => other.describe().to_owned(),
    };
    ctx.out.show(&value, |out| {
        let account = user
            .as_ref()
            .map(|u| format!("{} (id {})", u.username, u.id))
            .unwrap_or_else(|| "not logged in".into());
        Table::fields(&[
            ("profile", ctx.profile.clone()),
            ("server", ctx.server.clone()),
            ("account", account),
            ("token", stored_in.clone()),
            ("expires", out.opt_time(expires_at)),
            ("credentials", file.clone()),
        ])
        .print(out);
    })?;
    match user {
        Some(_) => Ok(()),
        None => Err(CliError::Auth(format!(
            "not logged in (profile '{}' on {})",
            ctx.profile, ctx.server
        ))),
    }
}

async fn token(ctx: &mut Ctx) -> CliResult {
    if ctx.token_source == TokenSource::Profile && ctx.stored().is_some_and(|p| p.needs_refresh()) {
        ctx.refresh().await?;
    }
    let token = ctx.client.token().ok_or_else(|| {
        CliError::Auth(format!(
            "not logged in (profile '{}' on {})",
            ctx.profile, ctx.server
        ))
    })?;
    let expires_at = (ctx.token_source == TokenSource::Profile)
        .then(|| ctx.stored().and_then(|p| p.expires_at))
        .flatten();
    let value = json!({ "access_token": token, "token_type": "bearer", "expires_at": expires_at });
    ctx.out.show(&value, |_| {
        let _ = crate::output::println_stdout(&token);
    })
}

async fn refresh(ctx: &mut Ctx) -> CliResult {
    ctx.refresh().await?;
    let expires_at = ctx.stored().and_then(|p| p.expires_at);
    let value = json!({ "profile": ctx.profile, "server": ctx.server, "expires_at": expires_at });
    let until = ctx.out.opt_time(expires_at);
    ctx.out
        .ack(&value, &format!("Token refreshed; it expires {until}."))
}
