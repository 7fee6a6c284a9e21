//! `/spaces/{space_id}/invitations/…`. Upstream bugs 29 (uses never counted) and 34
//! (any member invited, no validation, GET with side effects, no listing or revoking).

use crate::common;

use common::{
    TestServer, refusal,
    spaces::{invitation, new_space, space_with, tomorrow},
    status,
};
use sha2::{Digest, Sha256};
use socmel_client::types::{
    ErrorCode, InvitationId, SpaceId, Timestamp, invitations::InvitationCreate, spaces::SpaceRole,
};

fn expiring(max_uses: i64, expires_at: Timestamp) -> InvitationCreate {
    InvitationCreate {
        max_uses,
        expires_at,
    }
}

#[tokio::test]
async fn a_one_use_invitation_admits_one_person() {
    // Upstream bug 29: current_uses was never incremented.
    let (_server, [ada, bob, eve]) = TestServer::with_users(["ada", "bob", "eve"]).await;
    let space = new_space(&ada, "Rust").await;
    let token = invitation(&ada, space.id, 1).await;
    let joined = bob.client.join_space(space.id, &token).await.unwrap();
    assert_eq!(joined.message, "You have joined the space");
    assert_eq!(joined.space.id, space.id);
    assert_eq!(joined.space.members_nbr, 2);
    assert_eq!(joined.space.my_role, Some(SpaceRole::Member));
    assert_eq!(
        refusal(eve.client.accept_invitation(space.id, &token).await),
        (
            400,
            "Invitation has reached the maximum number of uses".into()
        )
    );
    let listed = ada
        .client
        .list_invitations(space.id, None, None)
        .await
        .unwrap();
    assert_eq!(listed.items[0].current_uses, 1);
    assert_eq!(
        ada.client.view_space(space.id).await.unwrap().members_nbr,
        2
    );
}

#[tokio::test]
async fn concurrent_joins_admit_exactly_max_uses() {
    // Upstream bug 29, under load: the check and the count are one statement.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let space = new_space(&ada, "Crowded").await;
    let token = invitation(&ada, space.id, 3).await;
    let mut joiners = Vec::new();
    for n in 0..10 {
        joiners.push(server.user(&format!("user{n}")).await);
    }
    let attempts = joiners.iter().map(|user| {
        let client = user.client.clone();
        let token = token.clone();
        tokio::spawn(async move { client.accept_invitation(space.id, &token).await })
    });
    let results = futures_util::future::join_all(attempts).await;
    let mut admitted = 0;
    for result in results {
        match result.unwrap() {
            Ok(_) => admitted += 1,
            Err(err) => {
                assert_eq!(err.status(), Some(400), "{err}");
                assert_eq!(
                    err.body().unwrap().detail,
                    "Invitation has reached the maximum number of uses"
                );
            }
        }
    }
    assert_eq!(admitted, 3);
    let card = ada.client.view_space(space.id).await.unwrap();
    assert_eq!(card.members_nbr, 4);
    let members = ada
        .client
        .space_members(space.id, None, None)
        .await
        .unwrap();
    assert_eq!(members.items.len(), 4);
    let listed = ada
        .client
        .list_invitations(space.id, None, None)
        .await
        .unwrap();
    assert_eq!(
        (listed.items[0].current_uses, listed.items[0].max_uses),
        (3, 3)
    );
}

#[tokio::test]
async fn one_person_joining_many_times_at_once_joins_once() {
    // Upstream bug 35: memberships had no key, so concurrent joins duplicated rows and
    // the member count drifted.
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let space = new_space(&ada, "Rust").await;
    let token = invitation(&ada, space.id, 10).await;
    let attempts = (0..6).map(|_| {
        let client = bob.client.clone();
        let token = token.clone();
        tokio::spawn(async move { client.accept_invitation(space.id, &token).await })
    });
    let results = futures_util::future::join_all(attempts).await;
    let joined = results
        .into_iter()
        .map(|joined| joined.unwrap())
        .filter(|result| match result {
            Ok(_) => true,
            Err(err) => {
                assert_eq!(
                    (err.status(), err.body().unwrap().detail.as_str()),
                    (Some(400), "You are already a member of this space")
                );
                false
            }
        })
        .count();
    assert_eq!(joined, 1);
    assert_eq!(
        ada.client.view_space(space.id).await.unwrap().members_nbr,
        2
    );
    assert_eq!(server.count("SELECT COUNT(*) FROM space_members").await, 2);
    let listed = ada
        .client
        .list_invitations(space.id, None, None)
        .await
        .unwrap();
    assert_eq!(
        listed.items[0].current_uses, 1,
        "refused joins spend no use"
    );
}

#[tokio::test]
async fn invitations_need_at_least_one_use_and_a_future_expiry() {
    // Upstream bug 34: max_uses ≤ 0 and past expiries were accepted.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let space = new_space(&ada, "Rust").await;
    let yesterday = Timestamp::from_millis(Timestamp::now().millis() - 86_400_000);
    let err = ada
        .client
        .create_invitation(space.id, &expiring(0, yesterday))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Validation));
    let mut fields: Vec<_> = err
        .body()
        .unwrap()
        .fields
        .as_ref()
        .unwrap()
        .iter()
        .map(|f| f.field.clone())
        .collect();
    fields.sort();
    assert_eq!(fields, ["expires_at", "max_uses"]);
    assert_eq!(
        status(
            ada.client
                .create_invitation(space.id, &expiring(-3, tomorrow()))
                .await
        ),
        422
    );
    // A naive expiry is read as UTC.
    let naive = server
        .raw()
        .post(server.at(&format!("/spaces/{}/invitations/create/", space.id)))
        .bearer_auth(&ada.tokens.access_token)
        .json(&serde_json::json!({"max_uses": 2, "expires_at": "2999-01-01T00:00:00"}))
        .send()
        .await
        .unwrap();
    assert_eq!(naive.status(), 200);
    let shown: serde_json::Value = naive.json().await.unwrap();
    assert_eq!(shown["expires_at"], "2999-01-01T00:00:00.000Z");
}

#[tokio::test]
async fn only_the_owner_and_moderators_invite() {
    // Upstream bug 34: any member could create invitations.
    let (_server, [ada, mo, bob]) = TestServer::with_users(["ada", "moe", "bob"]).await;
    let space = space_with(&ada, "Rust", &[&mo, &bob]).await;
    assert_eq!(
        refusal(
            bob.client
                .create_invitation(space.id, &expiring(1, tomorrow()))
                .await
        ),
        (403, "You are not allowed to do this in this space".into())
    );
    assert_eq!(
        status(bob.client.list_invitations(space.id, None, None).await),
        403
    );
    ada.client
        .set_member_role(space.id, mo.user.id, SpaceRole::Moderator)
        .await
        .unwrap();
    let made = mo
        .client
        .create_invitation(space.id, &expiring(2, tomorrow()))
        .await
        .unwrap();
    assert_eq!(made.created_by, Some(mo.user.id));
    assert_eq!(
        mo.client
            .list_invitations(space.id, None, None)
            .await
            .unwrap()
            .items
            .len(),
        3
    );
    mo.client
        .revoke_invitation(space.id, made.id)
        .await
        .unwrap();
}

#[tokio::test]
async fn tokens_are_random_and_only_their_hash_is_stored() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let space = new_space(&ada, "Rust").await;
    let first = invitation(&ada, space.id, 1).await;
    let second = invitation(&ada, space.id, 1).await;
    assert_ne!(first, second);
    // 32 random bytes, base64url without padding.
    assert_eq!(first.len(), 43);
    assert!(
        first
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    let stored = server
        .query_string("SELECT token_hash FROM space_invitations ORDER BY id LIMIT 1")
        .await;
    assert_eq!(stored, hex::encode(Sha256::digest(first.as_bytes())));
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM space_invitations WHERE token_hash = 'x' OR length(token_hash) <> 64")
            .await,
        0
    );
    // Listings never show a token again.
    let listed = ada
        .client
        .list_invitations(space.id, None, None)
        .await
        .unwrap();
    assert!(listed.items.iter().all(|i| i.token.is_none()));
    let raw: serde_json::Value = server
        .raw()
        .get(server.at(&format!("/spaces/{}/invitations/", space.id)))
        .bearer_auth(&ada.tokens.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(raw["items"][0]["token"].is_null(), "{raw}");
    assert!(raw["next_cursor"].is_null(), "{raw}");
}

#[tokio::test]
async fn joining_checks_the_token_the_space_expiry_and_membership() {
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let space = new_space(&ada, "Rust").await;
    let other = new_space(&ada, "Go").await;
    let token = invitation(&ada, space.id, 5).await;

    assert_eq!(
        refusal(
            bob.client
                .accept_invitation(space.id, "no-such-token")
                .await
        ),
        (404, "Invitation not found".into())
    );
    // A token opens only its own space.
    assert_eq!(
        refusal(bob.client.accept_invitation(other.id, &token).await),
        (404, "Invitation not found".into())
    );
    assert_eq!(
        refusal(bob.client.accept_invitation(SpaceId(987_654), &token).await),
        (404, "Space not found".into())
    );
    assert_eq!(
        refusal(ada.client.accept_invitation(space.id, &token).await),
        (400, "You are already a member of this space".into())
    );
    bob.client
        .accept_invitation(space.id, &token)
        .await
        .unwrap();
    assert_eq!(
        refusal(bob.client.join_space(space.id, &token).await),
        (400, "You are already a member of this space".into())
    );
    // Refused attempts do not spend uses.
    let listed = ada
        .client
        .list_invitations(space.id, None, None)
        .await
        .unwrap();
    assert_eq!(listed.items[0].current_uses, 1);

    let eve = server.user("eve").await;
    let late = invitation(&ada, space.id, 5).await;
    server
        .execute("UPDATE space_invitations SET expires_at = 1000 WHERE current_uses = 0")
        .await;
    assert_eq!(
        refusal(eve.client.accept_invitation(space.id, &late).await),
        (400, "Invitation has expired".into())
    );
    assert_eq!(
        status(server.client().join_space(space.id, &token).await),
        401
    );
}

#[tokio::test]
async fn revoked_invitations_stop_working_and_listings_page() {
    let (_server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let space = new_space(&ada, "Rust").await;
    let tokens = [
        invitation(&ada, space.id, 1).await,
        invitation(&ada, space.id, 2).await,
        invitation(&ada, space.id, 3).await,
    ];
    let first = ada
        .client
        .list_invitations(space.id, None, Some(2))
        .await
        .unwrap();
    assert_eq!(
        first.items.iter().map(|i| i.max_uses).collect::<Vec<_>>(),
        [3, 2],
        "newest first"
    );
    let rest = ada
        .client
        .list_invitations(space.id, first.next_cursor.as_deref(), Some(2))
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 1);
    assert_eq!(rest.items[0].max_uses, 1);
    assert_eq!(rest.items[0].created_by, Some(ada.user.id));
    assert_eq!(rest.next_cursor, None);

    let revoked = ada
        .client
        .revoke_invitation(space.id, rest.items[0].id)
        .await
        .unwrap();
    assert_eq!(revoked.detail, "Invitation revoked");
    assert_eq!(
        refusal(bob.client.accept_invitation(space.id, &tokens[0]).await),
        (404, "Invitation not found".into())
    );
    assert_eq!(
        refusal(
            ada.client
                .revoke_invitation(space.id, rest.items[0].id)
                .await
        ),
        (404, "Invitation not found".into())
    );
    // An invitation of another space cannot be revoked through this one.
    let other = new_space(&ada, "Go").await;
    assert_eq!(
        status(
            ada.client
                .revoke_invitation(other.id, first.items[0].id)
                .await
        ),
        404
    );
    assert_eq!(
        status(
            ada.client
                .revoke_invitation(space.id, InvitationId(987_654))
                .await
        ),
        404
    );
    bob.client
        .accept_invitation(space.id, &tokens[1])
        .await
        .unwrap();
}
