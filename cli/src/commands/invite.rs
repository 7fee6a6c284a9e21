//! `socmel invite …`: invitations to a space.

use clap::Subcommand;
use socmel_client::types::{
    InvitationId, SpaceId, Timestamp,
    invitations::{InvitationCreate, InvitationDisplay},
};

use crate::{
    cli::Paging,
    context::Ctx,
    error::{CliError, CliResult},
    output::{Output, Table, opt},
};

#[derive(Debug, Subcommand)]
pub enum InviteCmd {
    /// Create an invitation; prints its token (pass it to `invite join`)
    Create {
        #[arg(long, short)]
        space: i64,
        /// How many people may join with it
        #[arg(long, default_value_t = 1)]
        max_uses: i64,
        /// Valid for this long: 30m, 12h, 7d…
        #[arg(long, default_value = "7d", conflicts_with = "expires_at")]
        expires_in: String,
        /// Valid until this RFC 3339 time instead
        #[arg(long)]
        expires_at: Option<Timestamp>,
    },
    /// Invitations of a space (tokens are shown only once, at creation)
    List {
        #[arg(long, short)]
        space: i64,
        #[command(flatten)]
        paging: Paging,
    },
    /// Revoke an invitation
    Revoke {
        #[arg(long, short)]
        space: i64,
        invitation_id: i64,
    },
    /// Join a space with an invitation token
    Join {
        space_id: i64,
        // Not named `token`: that id belongs to the global --token. Tokens are
        // base64url, so one may well start with '-'.
        #[arg(value_name = "TOKEN", allow_hyphen_values = true)]
        invitation_token: String,
    },
}

pub async fn run(ctx: &mut Ctx, cmd: InviteCmd) -> CliResult {
    match cmd {
        InviteCmd::Create {
            space,
            max_uses,
            expires_in,
            expires_at,
        } => {
            let expires_at = match expires_at {
                Some(at) => at,
                None => Timestamp(chrono::Utc::now() + parse_duration(&expires_in)?),
            };
            let (space, body) = (
                SpaceId(space),
                &InvitationCreate {
                    max_uses,
                    expires_at,
                },
            );
            let invitation = ctx
                .call(|c| async move { c.create_invitation(space, body).await })
                .await?;
            // The token is what the invited person needs, so it is what chains.
            let token = invitation.token.clone().unwrap_or_default();
            let sentence = format!(
                "Created invitation {} to space {}: join with `socmel invite join {} {token}`.",
                invitation.id, invitation.space_id, invitation.space_id
            );
            ctx.out.created(&invitation, &token, &sentence)
        }
        InviteCmd::List { space, paging } => {
            let (space, cursor, limit) = (SpaceId(space), paging.cursor(), paging.limit);
            let page = ctx
                .call(|c| async move { c.list_invitations(space, cursor, limit).await })
                .await?;
            ctx.out
                .page(&page, invitations_table(&ctx.out, &page.items))
        }
        InviteCmd::Revoke {
            space,
            invitation_id,
        } => {
            let (space, id) = (SpaceId(space), InvitationId(invitation_id));
            let detail = ctx
                .call(|c| async move { c.revoke_invitation(space, id).await })
                .await?;
            ctx.out.ack(&detail, &detail.detail)
        }
        InviteCmd::Join {
            space_id,
            invitation_token,
        } => {
            let (space, token) = (SpaceId(space_id), invitation_token.as_str());
            let joined = ctx
                .call(|c| async move { c.accept_invitation(space, token).await })
                .await?;
            let sentence = format!(
                "{} ({}, id {}).",
                joined.message, joined.space.name, joined.space.id
            );
            ctx.out.created(&joined, joined.space.id, &sentence)
        }
    }
}

/// `30s`, `15m`, `12h`, `7d`, `2w`.
fn parse_duration(text: &str) -> CliResult<chrono::Duration> {
    let bad = || {
        CliError::Usage(format!(
            "--expires-in: '{text}' is not a duration like 30m, 12h or 7d"
        ))
    };
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (number, unit) = text.split_at(split);
    let number: i64 = number.parse().map_err(|_| bad())?;
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return Err(bad()),
    };
    number
        .checked_mul(seconds)
        .filter(|total| *total > 0)
        .map(chrono::Duration::seconds)
        .ok_or_else(bad)
}

fn invitations_table(out: &Output, invitations: &[InvitationDisplay]) -> Table {
    let mut table = Table::new(&["ID", "USES", "EXPIRES", "CREATED BY", "CREATED"]);
    for invitation in invitations {
        table.row(vec![
            invitation.id.to_string(),
            format!("{}/{}", invitation.current_uses, invitation.max_uses),
            out.time(invitation.expires_at),
            opt(invitation.created_by),
            out.time(invitation.created_at),
        ]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("7d").unwrap(), chrono::Duration::days(7));
        assert_eq!(
            parse_duration("30m").unwrap(),
            chrono::Duration::minutes(30)
        );
        assert!(parse_duration("7").is_err());
        assert!(parse_duration("d").is_err());
        assert!(parse_duration("0h").is_err());
        assert!(parse_duration("3y").is_err());
    }
}
