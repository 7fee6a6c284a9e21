//! `/spaces/{space_id}/bans/…`: moderation by bans.

use crate::common;

use common::{
    TestServer, refusal,
    spaces::{invitation, new_space, space_with},
    status,
};
use socmel_client::types::{UserId, spaces::SpaceRole};

#[tokio::test]
async fn a_banned_member_is_removed_and_cannot_rejoin_until_unbanned() {
    let (_server, [ada, mo, bob]) = TestServer::with_users(["ada", "moe", "bob"]).await;
    let space = space_with(&ada, "Rust", &[&mo, &bob]).await;
    ada.client
        .set_member_role(space.id, mo.user.id, SpaceRole::Moderator)
        .await
        .unwrap();

    let ban = mo.client.ban_member(space.id, bob.user.id).await.unwrap();
    assert_eq!(
        (ban.space_id, ban.user.id, ban.banned_by),
        (space.id, bob.user.id, Some(mo.user.id))
    );
    assert_eq!(ban.user.email, None);
    assert_eq!(
        ada.client.view_space(space.id).await.unwrap().members_nbr,
        2
    );
    assert_eq!(
        status(bob.client.space_rooms(space.id, None, None).await),
        403
    );

    let token = invitation(&ada, space.id, 5).await;
    assert_eq!(
        refusal(bob.client.accept_invitation(space.id, &token).await),
        (403, "You are banned from this space".into())
    );
    assert_eq!(status(bob.client.join_space(space.id, &token).await), 403);
    let bans = ada.client.list_bans(space.id, None, None).await.unwrap();
    assert_eq!(bans.items, [ban]);

    let lifted = mo.client.unban_member(space.id, bob.user.id).await.unwrap();
    assert_eq!(lifted.detail, "User unbanned");
    assert!(
        ada.client
            .list_bans(space.id, None, None)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    bob.client
        .accept_invitation(space.id, &token)
        .await
        .unwrap();
    assert_eq!(
        ada.client.view_space(space.id).await.unwrap().members_nbr,
        3
    );
}

#[tokio::test]
async fn nobody_bans_the_owner_and_moderators_spare_each_other() {
    let (_server, [ada, mo, max, bob]) = TestServer::with_users(["ada", "moe", "max", "bob"]).await;
    let space = space_with(&ada, "Rust", &[&mo, &max, &bob]).await;
    for moderator in [&mo, &max] {
        ada.client
            .set_member_role(space.id, moderator.user.id, SpaceRole::Moderator)
            .await
            .unwrap();
    }
    assert_eq!(
        status(mo.client.ban_member(space.id, ada.user.id).await),
        403
    );
    assert_eq!(
        refusal(mo.client.ban_member(space.id, max.user.id).await),
        (403, "Moderators cannot act on other moderators".into())
    );
    assert_eq!(
        refusal(bob.client.ban_member(space.id, max.user.id).await),
        (403, "You are not allowed to do this in this space".into())
    );
    assert_eq!(
        status(bob.client.unban_member(space.id, max.user.id).await),
        403
    );
    assert_eq!(
        status(bob.client.list_bans(space.id, None, None).await),
        403
    );
    assert_eq!(
        refusal(ada.client.ban_member(space.id, ada.user.id).await),
        (400, "You cannot ban yourself".into())
    );
    // The owner may ban a moderator.
    ada.client.ban_member(space.id, max.user.id).await.unwrap();
    let members = ada
        .client
        .space_members(space.id, None, None)
        .await
        .unwrap();
    assert!(members.items.iter().all(|m| m.user.id != max.user.id));
}

#[tokio::test]
async fn outsiders_can_be_banned_ahead_and_bans_do_not_stack() {
    let (_server, [ada, eve]) = TestServer::with_users(["ada", "eve"]).await;
    let space = new_space(&ada, "Rust").await;
    ada.client.ban_member(space.id, eve.user.id).await.unwrap();
    assert_eq!(
        ada.client.view_space(space.id).await.unwrap().members_nbr,
        1
    );
    assert_eq!(
        refusal(ada.client.ban_member(space.id, eve.user.id).await),
        (400, "This user is already banned from this space".into())
    );
    assert_eq!(
        refusal(ada.client.ban_member(space.id, UserId(987_654)).await),
        (404, "User not found".into())
    );
    let token = invitation(&ada, space.id, 1).await;
    assert_eq!(
        status(eve.client.accept_invitation(space.id, &token).await),
        403
    );
    ada.client
        .unban_member(space.id, eve.user.id)
        .await
        .unwrap();
    assert_eq!(
        refusal(ada.client.unban_member(space.id, eve.user.id).await),
        (404, "This user is not banned from this space".into())
    );
}

#[tokio::test]
async fn the_ban_list_pages_newest_first() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let space = new_space(&ada, "Rust").await;
    let mut banned = Vec::new();
    for name in ["usr1", "usr2", "usr3"] {
        let user = server.user(name).await;
        ada.client.ban_member(space.id, user.user.id).await.unwrap();
        banned.push(user.user.id);
    }
    let first = ada.client.list_bans(space.id, None, Some(2)).await.unwrap();
    let rest = ada
        .client
        .list_bans(space.id, first.next_cursor.as_deref(), Some(2))
        .await
        .unwrap();
    assert_eq!(rest.next_cursor, None);
    let order: Vec<UserId> = first
        .items
        .iter()
        .chain(&rest.items)
        .map(|ban| ban.user.id)
        .collect();
    banned.reverse();
    assert_eq!(order, banned);
}
