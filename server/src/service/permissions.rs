//! Who may do what in a space or a group chat: the one place these rules live.
//! Each rule is a pure table (role × action), tested as one below.

use super::{Refusal, ServiceError, ServiceResult};

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
    /// Leave the space (the owner must hand it over or delete it first).
    Leave,
    EditSpace,
    DeleteSpace,
    /// Add, rename and delete rooms.
    ManageRooms,
    /// Create, list and revoke invitations.
    ManageInvitations,
    RemoveMember,
    /// Ban, unban, and see who is banned.
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
        Leave => role != Role::Owner,
        ManageRooms | ManageInvitations | RemoveMember | Ban | DeleteAnyPost | DeleteAnyMessage => {
            role >= Role::Moderator
        }
        EditSpace | DeleteSpace | ChangeRole | PassOwnership => role == Role::Owner,
    }
}

/// Whether `actor` may remove, ban, or change the role of `target`: moderators act on
/// plain members only; the owner on anyone but themself.
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
        Err(ServiceError::Forbidden(refusal(action)))
    }
}

/// `require`, then the target rule of [`may_act_on`]: for actions aimed at another
/// member (`target` is their current role).
pub fn require_over(role: Role, action: Action, target: Role) -> ServiceResult<()> {
    require(role, action)?;
    if may_act_on(role, target) {
        Ok(())
    } else if target == Role::Owner {
        Err(ServiceError::Forbidden(Refusal::OwnerUntouchable))
    } else {
        Err(ServiceError::Forbidden(Refusal::ModeratorOverModerator))
    }
}

fn refusal(action: Action) -> Refusal {
    match action {
        Action::EditSpace | Action::DeleteSpace | Action::ChangeRole | Action::PassOwnership => {
            Refusal::NotSpaceOwner
        }
        Action::Leave => Refusal::OwnerCannotLeave,
        _ => Refusal::NotAllowedInSpace,
    }
}

/// Where a user stands in a group chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupRole {
    Outsider,
    Member,
    Owner,
}

/// Everything a user may try to do in a group chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupAction {
    /// See the group, its members and its history; send messages.
    View,
    Leave,
    AddMember,
    RemoveMember,
    Rename,
    Delete,
    PassOwnership,
}

/// The group role × action table.
pub fn group_allowed(role: GroupRole, action: GroupAction) -> bool {
    use GroupAction::*;
    match (role, action) {
        (GroupRole::Outsider, _) => false,
        (_, View) => true,
        (GroupRole::Member, Leave) => true,
        (GroupRole::Owner, Leave) => false,
        (GroupRole::Owner, AddMember | RemoveMember | Rename | Delete | PassOwnership) => true,
        (GroupRole::Member, AddMember | RemoveMember | Rename | Delete | PassOwnership) => false,
    }
}

/// `group_allowed`, as a refusal in upstream's words.
pub fn group_require(role: GroupRole, action: GroupAction) -> ServiceResult<()> {
    if group_allowed(role, action) {
        return Ok(());
    }
    let refusal = match action {
        GroupAction::View => Refusal::GroupView,
        GroupAction::Leave if role == GroupRole::Owner => Refusal::GroupOwnerLeave,
        GroupAction::Leave => Refusal::GroupLeave,
        GroupAction::AddMember => Refusal::GroupAddMember,
        GroupAction::RemoveMember => Refusal::GroupRemoveMember,
        GroupAction::Rename => Refusal::GroupRename,
        GroupAction::Delete => Refusal::GroupDelete,
        GroupAction::PassOwnership => Refusal::GroupPassOwnership,
    };
    Err(ServiceError::Forbidden(refusal))
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
            (Leave,               true,   true,      false),
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
            assert_eq!(require(Moderator, action).is_ok(), moderator);
            assert_eq!(require(Owner, action).is_ok(), owner);
        }
    }

    #[test]
    fn who_may_act_on_whom() {
        #[rustfmt::skip]
        let table = [
            // actor,     on member, on moderator, on owner
            (Owner,       true,      true,         false),
            (Moderator,   true,      false,        false),
            (Member,      false,     false,        false),
        ];
        for (actor, member, moderator, owner) in table {
            assert_eq!(may_act_on(actor, Member), member, "{actor:?} on member");
            assert_eq!(
                may_act_on(actor, Moderator),
                moderator,
                "{actor:?} on moderator"
            );
            assert_eq!(may_act_on(actor, Owner), owner, "{actor:?} on owner");
        }
    }

    #[test]
    fn targeted_actions_need_both_the_action_and_the_target_rule() {
        assert!(require_over(Moderator, Ban, Member).is_ok());
        assert!(require_over(Moderator, Ban, Moderator).is_err());
        assert!(require_over(Moderator, RemoveMember, Owner).is_err());
        assert!(require_over(Owner, Ban, Moderator).is_ok());
        assert!(require_over(Owner, ChangeRole, Owner).is_err());
        // The action itself is checked first: moderators never change roles.
        assert!(require_over(Moderator, ChangeRole, Member).is_err());
        assert!(require_over(Member, RemoveMember, Member).is_err());
    }

    #[test]
    fn roles_roundtrip_their_stored_names() {
        for role in [Owner, Moderator, Member] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn group_role_by_action_table() {
        use GroupAction as A;
        #[rustfmt::skip]
        let table = [
            // action,           outsider, member, owner
            (A::View,            false,    true,   true),
            (A::Leave,           false,    true,   false),
            (A::AddMember,       false,    false,  true),
            (A::RemoveMember,    false,    false,  true),
            (A::Rename,          false,    false,  true),
            (A::Delete,          false,    false,  true),
            (A::PassOwnership,   false,    false,  true),
        ];
        for (action, outsider, member, owner) in table {
            assert_eq!(
                group_allowed(GroupRole::Outsider, action),
                outsider,
                "outsider {action:?}"
            );
            assert_eq!(
                group_allowed(GroupRole::Member, action),
                member,
                "member {action:?}"
            );
            assert_eq!(
                group_allowed(GroupRole::Owner, action),
                owner,
                "owner {action:?}"
            );
            assert_eq!(group_require(GroupRole::Member, action).is_ok(), member);
        }
    }

    #[test]
    fn group_refusals_keep_upstream_wording() {
        let detail = |role, action| match group_require(role, action) {
            Err(ServiceError::Forbidden(refusal)) => refusal.to_string(),
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert_eq!(
            detail(GroupRole::Owner, GroupAction::Leave),
            "you can not leave the group you own"
        );
        assert_eq!(
            detail(GroupRole::Outsider, GroupAction::Leave),
            "you can not leave this group"
        );
        assert_eq!(
            detail(GroupRole::Outsider, GroupAction::View),
            "you can not view this group"
        );
        assert_eq!(
            detail(GroupRole::Member, GroupAction::AddMember),
            "you can not add members to this group"
        );
    }
}
