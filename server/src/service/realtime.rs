//! What the real-time socket may tell whom. The hub (`ws/hub.rs`) only carries frames;
//! these rules decide which users a connection is subscribed to, who hears about
//! someone's presence, and who may see them typing.
//!
//! Presence travels between people who already share something: a group chat, a
//! space (small enough to carry presence, see the hub's `PRESENCE_SPACE_LIMIT`), or a
//! DM conversation. A stranger (no shared group, space or DM) never hears of it, and
//! never sees a typing indicator either.

use socmel_api_types::{UserId, messages::Conversation};

use super::{
    ServiceResult, Services,
    auth::AuthUser,
    messages::{Target, require_access},
};
use crate::store;

/// What a user's socket is subscribed to: the spaces and groups whose messages it
/// receives, and the DM partners who hear about its presence (and it about theirs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriptions {
    pub spaces: Vec<i64>,
    pub groups: Vec<i64>,
    pub dm_partners: Vec<i64>,
    /// The user as their typing and presence frames name them.
    pub me: socmel_api_types::users::UserSummary,
}

/// Reads `user`'s subscriptions. The socket registers with the hub *before* calling
/// this, so a membership change committed meanwhile is either in what is read here or
/// heard by the hub afterwards.
pub async fn subscriptions(svc: &Services, user: UserId) -> ServiceResult<Subscriptions> {
    let mut db = svc.store().reader().await?;
    let named = super::users::summaries(db.conn(), [user]).await?;
    Ok(Subscriptions {
        spaces: store::spaces::space_ids_of(db.conn(), user.0).await?,
        groups: store::groups::group_ids_of(db.conn(), user.0).await?,
        dm_partners: store::messages::dm_partners(db.conn(), user.0).await?,
        me: super::users::summary_of(&named, user),
    })
}

/// Who may see that someone is typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypingAudience {
    /// The other side of a DM.
    Partner(UserId),
    /// The online members of this group or room's space, the typer excepted.
    Members(Conversation),
    /// Nobody: a DM with oneself, or with a stranger (someone the typer shares no
    /// DM conversation, group or space with): typing is not a way to reach strangers.
    Nobody,
}

/// Checks that `typer` may write to `conversation`, exactly as a send would (refused
/// otherwise: unknown user, not a member, no such room), and says who may be told. A
/// DM's other side is told unless they are strangers to each other; the first message
/// makes them acquainted.
pub async fn typing_audience(
    svc: &Services,
    typer: &AuthUser,
    conversation: Conversation,
) -> ServiceResult<TypingAudience> {
    let target = Target::from(conversation);
    require_access(svc, typer, target).await?;
    let Target::Dm(other) = target else {
        return Ok(TypingAudience::Members(conversation));
    };
    if other == typer.id() {
        return Ok(TypingAudience::Nobody);
    }
    let mut db = svc.store().reader().await?;
    let key = target.key(typer.id());
    let shared = store::messages::acquainted(db.conn(), typer.id().0, other.0, &key).await?;
    Ok(if shared {
        TypingAudience::Partner(other)
    } else {
        TypingAudience::Nobody
    })
}
