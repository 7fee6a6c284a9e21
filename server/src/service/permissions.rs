//! Who may do what in a space: the one place these rules live.

use super::{ServiceError, ServiceResult};

/// A member's role in a space, as stored (`owner`, `moderator`, `member`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Member,
    Moderator,
    Owner,
}

impl Role {
    pub fn parse(stored: &str) -> Option<Self> {
        match stored {
            "owner" => Some(Self::Owner),
            "moderator" => Some(Self::Moderator),
            "member" => Some(Self::Member),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Moderator => "moderator",
            Self::Member => "member",
        }
    }
}

/// Everything a member may try to do in a space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read members-only content: rooms, posts, members, history.
    View,
    /// Post, comment, react, send room messages.
    Participate,
    EditSpace,
    DeleteSpace,
    ManageRooms,
    ManageInvitations,
    RemoveMember,
    Ban,
    DeleteAnyPost,
    DeleteAnyMessage,
    ChangeRole,
    PassOwnership,
}

/// The role × action table.
pub fn allowed(role: Role, action: Action) -> bool {
    use Action::*;
    match action {
        View | Participate => true,
        ManageRooms | ManageInvitations | RemoveMember | Ban | DeleteAnyPost | DeleteAnyMessage => {
            role >= Role::Moderator
        }
        EditSpace | DeleteSpace | ChangeRole | PassOwnership => role == Role::Owner,
    }
}

/// Whether `actor` may remove, ban or unban `target`: moderators act on plain members
/// only; the owner on anyone but themself.
pub fn may_act_on(actor: Role, target: Role) -> bool {
    match actor {
        Role::Owner => target != Role::Owner,
        Role::Moderator => target == Role::Member,
        Role::Member => false,
    }
}

/// `allowed`, as a refusal in the domain's words.
pub fn require(role: Role, action: Action) -> ServiceResult<()> {
    if allowed(role, action) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(refusal(action).into()))
    }
}

fn refusal(action: Action) -> &'static str {
    match action {
        Action::EditSpace | Action::DeleteSpace | Action::ChangeRole | Action::PassOwnership => {
            "You are not the owner of this space"
        }
        _ => "You are not allowed to do this in this space",
    }
}

#[cfg(test)]
mod tests {
    use super::{Action::*, Role::*, *};

    #[test]
    fn role_by_action_table() {
        #[rustfmt::skip]
        let table = [
            // action,            member, moderator, owner
            (View,                true,   true,      true),
            (Participate,         true,   true,      true),
            (ManageRooms,         false,  true,      true),
            (ManageInvitations,   false,  true,      true),
            (RemoveMember,        false,  true,      true),
            (Ban,                 false,  true,      true),
            (DeleteAnyPost,       false,  true,      true),
            (DeleteAnyMessage,    false,  true,      true),
            (EditSpace,           false,  false,     true),
            (DeleteSpace,         false,  false,     true),
            (ChangeRole,          false,  false,     true),
            (PassOwnership,       false,  false,     true),
        ];
        for (action, member, moderator, owner) in table {
            assert_eq!(allowed(Member, action), member, "member {action:?}");
            assert_eq!(
                allowed(Moderator, action),
                moderator,
                "moderator {action:?}"
            );
            assert_eq!(allowed(Owner, action), owner, "owner {action:?}");
            assert_eq!(require(Member, action).is_ok(), member);
        }
    }

    #[test]
    fn who_may_act_on_whom() {
        assert!(may_act_on(Owner, Moderator) && may_act_on(Owner, Member));
        assert!(!may_act_on(Owner, Owner));
        assert!(may_act_on(Moderator, Member));
        assert!(!may_act_on(Moderator, Moderator) && !may_act_on(Moderator, Owner));
        assert!(!may_act_on(Member, Member));
    }

    #[test]
    fn roles_roundtrip_their_stored_names() {
        for role in [Owner, Moderator, Member] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
    }
}
