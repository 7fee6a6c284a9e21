//! Helpers for the space, room, invitation and group tests.

use socmel_client::{
    ClientResult,
    types::{
        SpaceId, Timestamp,
        invitations::InvitationCreate,
        spaces::{SpaceCreate, SpaceDisplay, SpaceUpdate},
    },
};

use super::TestUser;

/// A day from now: a valid invitation expiry.
pub fn tomorrow() -> Timestamp {
    Timestamp::from_millis(Timestamp::now().millis() + 86_400_000)
}

/// Creates a space owned by `owner`.
pub async fn new_space(owner: &TestUser, name: &str) -> SpaceDisplay {
    owner
        .client
        .create_space(&SpaceCreate { name: name.into() })
        .await
        .expect("create space")
}

/// `user` renames the space.
pub async fn rename_space(
    user: &TestUser,
    space_id: SpaceId,
    name: &str,
) -> ClientResult<SpaceDisplay> {
    let update = SpaceUpdate {
        name: Some(name.into()),
    };
    user.client.edit_space(space_id, &update).await
}

/// An invitation to `space_id` for `max_uses` people, made by `by`; its token.
pub async fn invitation(by: &TestUser, space_id: SpaceId, max_uses: i64) -> String {
    by.client
        .create_invitation(
            space_id,
            &InvitationCreate {
                max_uses,
                expires_at: tomorrow(),
            },
        )
        .await
        .expect("create invitation")
        .token
        .expect("a new invitation shows its token")
}

/// A space owned by `owner` that each of `members` has joined.
pub async fn space_with(owner: &TestUser, name: &str, members: &[&TestUser]) -> SpaceDisplay {
    let space = new_space(owner, name).await;
    for member in members {
        let token = invitation(owner, space.id, 1).await;
        member
            .client
            .accept_invitation(space.id, &token)
            .await
            .expect("join");
    }
    space
}
