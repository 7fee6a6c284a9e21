//! Membership events reach the event bus after the change is committed, for the
//! real-time hub to keep each connection's memberships current. Driven through the
//! service layer, where the bus is reachable.

use crate::common;

use std::{sync::Arc, time::Duration};

use socmel_client::types::{
    GroupId, RoomId, SpaceId, Timestamp, UserId,
    auth::{LoginForm, UserCreate},
    events::{MembershipChange, MembershipScope},
    groups::GroupChatCreate,
    invitations::InvitationCreate,
    rooms::RoomCreate,
    spaces::SpaceCreate,
    users::UserSummary,
};
use socmel_server::{
    config::{Config, Secret},
    events::Event,
    service::{self, Services, auth::AuthUser},
};
use tokio::sync::broadcast::{Receiver, error::TryRecvError};

struct Bench {
    svc: Services,
    _dir: tempfile::TempDir,
}

impl Bench {
    async fn start() -> Self {
        socmel_server::init_tracing(socmel_server::config::LogFormat::Text);
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::with_data_dir(dir.path());
        config.secret_key = Some(Secret::new(common::TEST_SECRET));
        config.database_url = Some(Secret::new(common::database_url(&dir).await));
        config.database_max_connections = 4;
        let svc = socmel_server::build_services(&config).await.unwrap();
        Self { svc, _dir: dir }
    }

    async fn user(&self, name: &str) -> AuthUser {
        service::auth::register(
            &self.svc,
            UserCreate {
                username: name.into(),
                email: format!("{name}@example.com"),
                password: common::PASSWORD.into(),
            },
        )
        .await
        .unwrap();
        let tokens = service::auth::login(
            &self.svc,
            LoginForm {
                username: name.into(),
                password: common::PASSWORD.into(),
                grant_type: None,
                scope: None,
                client_id: None,
                client_secret: None,
            },
        )
        .await
        .unwrap();
        service::auth::authenticate(&self.svc, &tokens.access_token)
            .await
            .unwrap()
    }
}

/// The event naming `user` (registered as `name`) as every payload names a person.
fn space_event(space: SpaceId, user: &AuthUser, name: &str, change: MembershipChange) -> Event {
    Event::Membership {
        scope: MembershipScope::Space,
        id: space.0,
        user: person(user.id(), name),
        change,
    }
}

fn group_event(group: GroupId, user: UserId, name: &str, change: MembershipChange) -> Event {
    Event::Membership {
        scope: MembershipScope::Group,
        id: group.0,
        user: person(user, name),
        change,
    }
}

fn person(id: UserId, name: &str) -> UserSummary {
    UserSummary {
        id,
        username: name.into(),
        display_name: None,
        pfp: None,
    }
}

/// Everything published so far, without waiting.
/// The events published so far, notifications aside.
fn drain(events: &mut Receiver<Arc<Event>>) -> Vec<Event> {
    let mut seen = Vec::new();
    loop {
        match events.try_recv() {
            Ok(event) if matches!(*event, Event::Notification { .. }) => {}
            Ok(event) => seen.push((*event).clone()),
            Err(TryRecvError::Empty) => return seen,
            Err(other) => panic!("{other}"),
        }
    }
}

#[tokio::test]
async fn space_membership_changes_are_published() {
    let bench = Bench::start().await;
    let svc = &bench.svc;
    let ada = bench.user("ada").await;
    let bob = bench.user("bob").await;
    let cy = bench.user("cyd").await;
    let mut events = svc.events().subscribe();

    let space = service::spaces::create(
        svc,
        &ada,
        SpaceCreate {
            name: "Rust".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        drain(&mut events),
        [space_event(space.id, &ada, "ada", MembershipChange::Joined)]
    );

    let invitation = service::invitations::create(
        svc,
        &ada,
        space.id,
        InvitationCreate {
            max_uses: 5,
            expires_at: Timestamp::from_millis(Timestamp::now().millis() + 60_000),
        },
    )
    .await
    .unwrap();
    let token = invitation.token.unwrap();
    for user in [&bob, &cy] {
        service::invitations::join(svc, user, space.id, &token)
            .await
            .unwrap();
    }
    // A refused join publishes nothing.
    assert!(
        service::invitations::join(svc, &bob, space.id, &token)
            .await
            .is_err()
    );
    assert_eq!(
        drain(&mut events),
        [
            space_event(space.id, &bob, "bob", MembershipChange::Joined),
            space_event(space.id, &cy, "cyd", MembershipChange::Joined)
        ]
    );

    service::spaces::leave(svc, &cy, space.id).await.unwrap();
    service::invitations::join(svc, &cy, space.id, &token)
        .await
        .unwrap();
    service::space_members::remove(svc, &ada, space.id, cy.id())
        .await
        .unwrap();
    service::invitations::join(svc, &cy, space.id, &token)
        .await
        .unwrap();
    service::bans::ban(svc, &ada, space.id, cy.id())
        .await
        .unwrap();
    assert_eq!(
        drain(&mut events),
        [
            space_event(space.id, &cy, "cyd", MembershipChange::Left),
            space_event(space.id, &cy, "cyd", MembershipChange::Joined),
            space_event(space.id, &cy, "cyd", MembershipChange::Removed),
            space_event(space.id, &cy, "cyd", MembershipChange::Joined),
            space_event(space.id, &cy, "cyd", MembershipChange::Banned),
        ]
    );

    let room = service::rooms::add(svc, &ada, space.id, RoomCreate { name: "x".into() })
        .await
        .unwrap();
    service::rooms::delete(svc, &ada, space.id, room.id)
        .await
        .unwrap();
    assert_eq!(
        drain(&mut events),
        [Event::RoomDeleted {
            space_id: space.id,
            room_id: RoomId(room.id.0)
        }]
    );

    service::spaces::delete(svc, &ada, space.id).await.unwrap();
    assert_eq!(
        drain(&mut events),
        [
            space_event(space.id, &ada, "ada", MembershipChange::Deleted),
            space_event(space.id, &bob, "bob", MembershipChange::Deleted),
        ]
    );
}

#[tokio::test]
async fn group_membership_changes_are_published() {
    let bench = Bench::start().await;
    let svc = &bench.svc;
    let ada = bench.user("ada").await;
    let bob = bench.user("bob").await;
    let cy = bench.user("cyd").await;
    let mut events = svc.events().subscribe();

    let group = service::groups::create(
        svc,
        &ada,
        GroupChatCreate {
            name: "friends".into(),
            members: Some(vec![bob.id()]),
        },
    )
    .await
    .unwrap();
    service::groups::add_member(svc, &ada, group.id, cy.id())
        .await
        .unwrap();
    // Adding someone twice is no change.
    service::groups::add_member(svc, &ada, group.id, cy.id())
        .await
        .unwrap();
    service::groups::remove_member(svc, &ada, group.id, cy.id())
        .await
        .unwrap();
    service::groups::leave(svc, &bob, group.id).await.unwrap();
    service::groups::add_member(svc, &ada, group.id, cy.id())
        .await
        .unwrap();
    service::groups::delete(svc, &ada, group.id).await.unwrap();
    use MembershipChange::*;
    assert_eq!(
        drain(&mut events),
        [
            group_event(group.id, ada.id(), "ada", Joined),
            group_event(group.id, bob.id(), "bob", Joined),
            group_event(group.id, cy.id(), "cyd", Joined),
            group_event(group.id, cy.id(), "cyd", Removed),
            group_event(group.id, bob.id(), "bob", Left),
            group_event(group.id, cy.id(), "cyd", Joined),
            group_event(group.id, ada.id(), "ada", Deleted),
            group_event(group.id, cy.id(), "cyd", Deleted),
        ]
    );
}

#[tokio::test]
async fn events_are_published_only_after_the_change_is_visible() {
    // A subscriber that looks the membership up the moment it hears of it must find
    // it committed.
    let bench = Bench::start().await;
    let svc = bench.svc.clone();
    let ada = bench.user("ada").await;
    let mut events = svc.events().subscribe();
    let checker = {
        let svc = svc.clone();
        tokio::spawn(async move {
            let event = events.recv().await.unwrap();
            let Event::Membership { id, ref user, .. } = *event else {
                panic!("unexpected {event:?}");
            };
            let mut db = svc.store().reader().await.unwrap();
            socmel_server::store::spaces::member_role(db.conn(), id, user.id.0)
                .await
                .unwrap()
        })
    };
    service::spaces::create(
        &svc,
        &ada,
        SpaceCreate {
            name: "Rust".into(),
        },
    )
    .await
    .unwrap();
    let seen = tokio::time::timeout(Duration::from_secs(10), checker)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen.as_deref(), Some("owner"));
}
