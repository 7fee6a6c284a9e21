//! `socmel invite …`: invitations to a space.

use clap::Subcommand;
use socmel_client::types::{
    InvitationId, Timestamp,
    invitations::{InvitationCreate, InvitationDisplay},
};

use crate::{
    cli::Paging,
    commands::room::SpaceFlag,
    context::Ctx,
    error::{CliError, CliResult},
    names::SpaceRef,
    output::{Output, Table, opt},
};

#[derive(Debug, Subcommand)]
pub enum InviteCmd {
    /// Create an invitation; prints its token (pass it to `invite join`)
    Create {
        /// The space: its name (lounge) or id
        #[arg(required_unless_present = "space_flag")]
        space: Option<SpaceRef>,
        #[command(flatten)]
        flag: SpaceFlag,
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
        /// The space: its name or id
        #[arg(required_unless_present = "space_flag")]
        space: Option<SpaceRef>,
        #[command(flatten)]
        flag: SpaceFlag,
        #[command(flatten)]
        paging: Paging,
    },
    /// Revoke an invitation
    Revoke {
        /// The space (name or id), then the invitation's id
        #[arg(required = true, num_args = 1..=2, value_names = ["SPACE", "INVITATION_ID"])]
        words: Vec<String>,
        #[command(flatten)]
        flag: SpaceFlag,
    },
    /// Join a space with an invitation token
    Join {
        /// The space: its name or id
        space: SpaceRef,
        /// The token `invite create` printed
        // Not named `token`: that id belongs to the global --token. Tokens are
        // base64url, so one may well start with '-'.
        #[arg(value_name = "TOKEN", allow_hyphen_values = true)]
        invitation_token: String,
    },
}

/// Which space: the positional SPACE, or the older `--space` flag.
fn space_of(space: Option<SpaceRef>, flag: SpaceFlag) -> CliResult<SpaceRef> {
    space
        .or(flag.space)
        .ok_or_else(|| CliError::Usage("which space? Name it: lounge, or its id".into()))
}

pub async fn run(ctx: &mut Ctx, cmd: InviteCmd) -> CliResult {
    match cmd {
        InviteCmd::Create {
            space,
            flag,
            max_uses,
            expires_in,
            expires_at,
        } => {
            let expires_at = match expires_at {
                Some(at) => at,
                None => Timestamp(chrono::Utc::now() + parse_duration(&expires_in)?),
            };
            let space = space_of(space, flag)?.resolve(ctx).await?;
            let body = &InvitationCreate {
                max_uses,
                expires_at,
            };
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
        InviteCmd::List {
            space,
            flag,
            paging,
        } => {
            let space = space_of(space, flag)?.resolve(ctx).await?;
            let page = ctx
                .listing(&paging, |c, cursor, limit| async move {
                    c.list_invitations(space, cursor.as_deref(), limit).await
                })
                .await?;
            ctx.out
                .page(&page, invitations_table(&ctx.out, &page.items))
        }
        InviteCmd::Revoke { words, flag } => {
            // `revoke SPACE ID`, or the older `revoke --space SPACE ID`.
            let (space, id) = match (words.as_slice(), flag.space) {
                ([space, id], None) => (space.parse::<SpaceRef>().map_err(CliError::Usage)?, id),
                ([id], Some(space)) => (space, id),
                _ => {
                    return Err(CliError::Usage(
                        "name the space and the invitation: `socmel invite revoke SPACE INVITATION_ID`"
                            .into(),
                    ));
                }
            };
            let id = id
                .trim_start_matches('#')
                .parse::<i64>()
                .map_err(|_| CliError::Usage(format!("'{id}' is not an invitation id")))?;
            let (space, id) = (space.resolve(ctx).await?, InvitationId(id));
            let detail = ctx
                .call(|c| async move { c.revoke_invitation(space, id).await })
                .await?;
            ctx.out.ack(&detail, &detail.detail)
        }
        InviteCmd::Join {
            space,
            invitation_token,
        } => {
            let space = space.resolve(ctx).await?;
            let token = invitation_token.as_str();
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
            invitation
                .created_by_user
                .as_ref()
                .map(|by| by.username.clone())
                .unwrap_or_else(|| opt(invitation.created_by)),
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
