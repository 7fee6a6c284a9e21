//! Membership changes of spaces and groups, told once they have committed.

use socmel_api_types::{
    UserId,
    events::{MembershipChange, MembershipScope},
};

use super::{Services, users};
use crate::events::Event;

/// Call once a change of `users`' membership of a space or group (`id`) has committed:
/// the hub updates the live connections and tells the people concerned, naming the
/// members (one query for all of them). Never fails: the change is committed.
pub(crate) async fn changed(
    svc: &Services,
    scope: MembershipScope,
    id: i64,
    users: &[UserId],
    change: MembershipChange,
) {
    for user in users::named(svc, users).await {
        svc.committed(Event::Membership {
            scope,
            id,
            user,
            change,
        });
    }
}
