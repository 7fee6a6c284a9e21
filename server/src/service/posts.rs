//! Posts: writing, reading and liking them, and the one rule deciding who may see a
//! post ([`visible`]). Their images are in `attachments`.

use crate::effects::{Change, post_writer::Draft};
use std::collections::HashMap;

use socmel_api_types::{
    AttachmentId, Detail, Page, PostId, SpaceId, Timestamp, UserId,
    notifications::NotificationKind,
    posts::{AttachmentDisplay, LikeResult, PostDisplay, PostUpdate, Visibility},
    users::UserSummary,
};

use super::{
    Missing, Refusal, ServiceError, ServiceResult, Services, Unauthenticated,
    auth::AuthUser,
    media,
    notifications::{self, About},
    now,
    pagination::{MAX_PAGE_SIZE, Pager, Paging},
    permissions::{self, Action, Role},
    spaces,
    validation::Validation,
};
use crate::{
    events::Event,
    store::{
        self, Db, StoreError,
        posts::{PostAccessRow, PostChanges, PostRow, TagList, Window},
    },
};
use std::sync::Arc;

/// Page size of upstream's listings when the client names none.
pub(crate) const DEFAULT_PAGE_SIZE: i64 = 10;

const TITLE_RULE: &str = "1-200 characters";
const CONTENT_RULE: &str = "1-20000 characters";
const TAGS_RULE: &str = "at most 10 tags of 1-30 characters";
const PROFILE_VISIBILITY_RULE: &str = "public or followers";
const SPACE_VISIBILITY_RULE: &str = "space posts are for the space's members only";

/// Who a profile post is for, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    Public,
    Followers,
}

impl Audience {
    fn parse(stored: &str) -> Self {
        if stored == "followers" {
            Self::Followers
        } else {
            Self::Public
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Followers => "followers",
        }
    }
}

/// What the visibility rule looks at: one post, as seen by one viewer.
#[derive(Debug, Clone)]
pub(crate) struct PostAccess {
    pub author: UserId,
    pub space_id: Option<SpaceId>,
    pub audience: Audience,
    /// The viewer is an accepted follower of the author.
    pub viewer_follows: bool,
    /// The viewer's role in the post's space, if a member.
    pub viewer_role: Option<Role>,
}

impl PostAccess {
    fn from_row(row: PostAccessRow) -> Self {
        Self {
            author: UserId(row.user_id),
            space_id: row.space_id.map(SpaceId),
            audience: Audience::parse(&row.visibility),
            viewer_follows: row.viewer_follows,
            viewer_role: row.viewer_role.as_deref().and_then(Role::parse),
        }
    }

    /// May the viewer act (like, comment, react) here? Space posts: members only.
    pub fn require_participation(&self) -> ServiceResult<()> {
        if self.space_id.is_none() {
            return Ok(());
        }
        match self.viewer_role {
            Some(role) => permissions::require(role, Action::Participate),
            None => Err(ServiceError::Forbidden(Refusal::NotASpaceMember)),
        }
    }

    /// A moderator of the post's space (who may delete posts and comments in it).
    pub fn viewer_moderates(&self) -> bool {
        self.space_id.is_some()
            && self
                .viewer_role
                .is_some_and(|role| permissions::allowed(role, Action::DeleteAnyPost))
    }
}

/// THE visibility rule, used by every read path: a post is visible to its author;
/// to anyone if it is a public profile post; to the author's accepted followers if it
/// is a followers-only profile post; to the members of its space if it is a space
/// post. Listings apply the same rule in SQL (`store::posts::visible_to!`).
pub(crate) fn visible(access: &PostAccess, viewer: Option<UserId>) -> bool {
    let Some(viewer) = viewer else {
        return access.space_id.is_none() && access.audience == Audience::Public;
    };
    if viewer == access.author {
        return true;
    }
    match access.space_id {
        Some(_) => access
            .viewer_role
            .is_some_and(|role| permissions::allowed(role, Action::View)),
        None => match access.audience {
            Audience::Public => true,
            Audience::Followers => access.viewer_follows,
        },
    }
}

/// The SQL stand-in for "no viewer": matches no user id.
pub(crate) fn viewer_key(viewer: Option<UserId>) -> i64 {
    viewer.map_or(0, |id| id.0)
}

/// The post as `viewer` may see it; 404 (never 403, so existence does not leak) when
/// it does not exist or is not visible to them.
pub(crate) async fn access(
    conn: store::Conn<'_>,
    post_id: PostId,
    viewer: Option<UserId>,
) -> ServiceResult<PostAccess> {
    let row = store::posts::access(conn, post_id.0, viewer_key(viewer)).await?;
    row.map(PostAccess::from_row)
        .filter(|access| visible(access, viewer))
        .ok_or_else(not_found)
}

pub(crate) fn not_found() -> ServiceError {
    ServiceError::NotFound(Missing::Post)
}

/// A write that raced with the post's deletion hits its foreign key: the post is gone.
pub(crate) fn gone_post(err: StoreError) -> ServiceError {
    match err {
        StoreError::ForeignKey => not_found(),
        other => other.into(),
    }
}

// --- input -------------------------------------------------------------------------

fn valid_title(title: &str) -> bool {
    !title.trim().is_empty() && title.chars().count() <= 200
}

fn valid_content(content: &str) -> bool {
    !content.trim().is_empty() && content.chars().count() <= 20_000
}

/// Trimmed, without a leading `#`, lower-case, duplicates dropped; `None` when a tag
/// is empty or too long, or there are too many.
fn normalise_tags(tags: &[String]) -> Option<Vec<String>> {
    let mut normalised: Vec<String> = Vec::with_capacity(tags.len());
    for tag in tags {
        let tag = tag.trim().trim_start_matches('#').trim().to_lowercase();
        let length = tag.chars().count();
        if !(1..=30).contains(&length) || tag.chars().any(char::is_control) {
            return None;
        }
        if !normalised.contains(&tag) {
            normalised.push(tag);
        }
    }
    (normalised.len() <= 10).then_some(normalised)
}

/// The stored visibility of a post, from what the client asked for.
fn stored_visibility(requested: Option<Visibility>, in_space: bool) -> Option<Audience> {
    match (requested, in_space) {
        (None, _) | (Some(Visibility::Public), false) => Some(Audience::Public),
        (Some(Visibility::Followers), false) => Some(Audience::Followers),
        // A space post is for members whatever is stored; `public` keeps it out of
        // the followers-only filters.
        (Some(Visibility::Space), true) => Some(Audience::Public),
        _ => None,
    }
}

/// A checked create or edit.
struct Checked {
    title: Option<String>,
    content: Option<String>,
    tags: Option<Vec<String>>,
    audience: Option<Audience>,
}

fn check(input: &PostUpdate, creating: bool, in_space: bool) -> ServiceResult<Checked> {
    let tags = input.tags.as_deref().map(normalise_tags);
    let audience = input
        .visibility
        .map(|v| stored_visibility(Some(v), in_space));
    let visibility_rule = if in_space {
        SPACE_VISIBILITY_RULE
    } else {
        PROFILE_VISIBILITY_RULE
    };
    Validation::default()
        .check(
            input.title.as_deref().map_or(!creating, valid_title),
            "title",
            TITLE_RULE,
        )
        .check(
            input.content.as_deref().map_or(!creating, valid_content),
            "content",
            CONTENT_RULE,
        )
        .check(!matches!(tags, Some(None)), "tags", TAGS_RULE)
        .check(
            !matches!(audience, Some(None)),
            "visibility",
            visibility_rule,
        )
        .finish()?;
    Ok(Checked {
        title: input.title.as_deref().map(|t| t.trim().to_owned()),
        content: input.content.clone(),
        tags: tags.flatten(),
        audience: if creating {
            Some(audience.flatten().unwrap_or(Audience::Public))
        } else {
            audience.flatten()
        },
    })
}

// --- writing -----------------------------------------------------------------------

/// A profile post by the caller.
pub async fn create(
    svc: &Services,
    me: &AuthUser,
    input: PostUpdate,
) -> ServiceResult<PostDisplay> {
    let checked = check(&input, true, false)?;
    let post = insert(svc, me, None, checked).await?;
    let followers = {
        let mut db = svc.store().reader().await?;
        store::follows::follower_ids(db.conn(), me.id().0).await?
    };
    publish_created(svc, &post, followers.into_iter().map(UserId).collect());
    Ok(post)
}

/// Tells the live feed: followers for a profile post, the space's members for a space
/// post (the hub knows who is online in each space).
fn publish_created(svc: &Services, post: &PostDisplay, followers: Vec<UserId>) {
    svc.committed(Event::PostCreated {
        post: Arc::new(post.clone()),
        followers,
    });
}

/// A post in a space the caller belongs to.
pub async fn create_in_space(
    svc: &Services,
    me: &AuthUser,
    space_id: SpaceId,
    input: PostUpdate,
) -> ServiceResult<PostDisplay> {
    spaces::require_member(svc, space_id, me)
        .await?
        .require(Action::Participate)?;
    let checked = check(&input, true, true)?;
    let post = insert(svc, me, Some(space_id), checked).await?;
    publish_created(svc, &post, Vec::new());
    Ok(post)
}

/// Stores a new post and shows it as its author sees it, from what was stored: a new
/// post has no likes, comments or attachments yet.
async fn insert(
    svc: &Services,
    me: &AuthUser,
    space_id: Option<SpaceId>,
    checked: Checked,
) -> ServiceResult<PostDisplay> {
    let audience = checked.audience.unwrap_or(Audience::Public);
    let draft = Draft {
        user_id: me.id().0,
        space_id: space_id.map(|s| s.0),
        title: checked.title.unwrap_or_default(),
        content: checked.content.unwrap_or_default(),
        visibility: audience.as_str(),
        now: now(),
        tags: checked.tags.unwrap_or_default(),
    };
    let (inserted, draft) = svc
        .post_writer()
        .insert(svc.store(), draft)
        .await
        .map_err(|err| match err {
            // The space (or the account) went away meanwhile.
            StoreError::ForeignKey if space_id.is_some() => ServiceError::NotFound(Missing::Space),
            StoreError::ForeignKey => ServiceError::Unauthorized(Unauthenticated::InvalidToken),
            other => other.into(),
        })?;
    let row = PostRow {
        id: inserted.id,
        user_id: draft.user_id,
        space_id: draft.space_id,
        title: draft.title,
        content: draft.content,
        visibility: draft.visibility.to_owned(),
        likes_nbr: 0,
        created_at: draft.now,
        author: inserted.author,
        author_display_name: inserted.author_display_name,
        author_pfp: inserted.author_pfp,
        comments_nbr: 0,
        liked_by_me: false,
        tags: TagList(draft.tags),
        has_attachments: false,
    };
    Ok(display(row, Vec::new()))
}

/// Changes the keys present; the author only (403 otherwise).
pub async fn edit(
    svc: &Services,
    me: &AuthUser,
    post_id: PostId,
    input: PostUpdate,
) -> ServiceResult<PostDisplay> {
    let mut tx = svc.store().begin().await?;
    let post = access(tx.conn(), post_id, Some(me.id())).await?;
    if post.author != me.id() {
        return Err(ServiceError::Forbidden(Refusal::EditOthersPost));
    }
    let checked = check(&input, false, post.space_id.is_some())?;
    let changes = PostChanges {
        title: checked.title.as_deref(),
        content: checked.content.as_deref(),
        visibility: checked.audience.map(Audience::as_str),
        now: now(),
    };
    store::posts::update(tx.conn(), post_id.0, changes).await?;
    if let Some(tags) = &checked.tags {
        store::posts::replace_tags(tx.conn(), post_id.0, tags).await?;
    }
    tx.commit().await?;
    view(svc, Some(me), post_id).await
}

/// Deletes the post with its likes, comments, reactions and images. The author may;
/// so may the moderators of its space.
pub async fn delete(svc: &Services, me: &AuthUser, post_id: PostId) -> ServiceResult<Detail> {
    let mut tx = svc.store().begin().await?;
    let post = access(tx.conn(), post_id, Some(me.id())).await?;
    let allowed = post.author == me.id()
        || match (post.space_id, post.viewer_role) {
            (Some(space), Some(role)) if post.viewer_moderates() => {
                spaces::may_remove_content_of(tx.conn(), space, role, post.author).await?
            }
            _ => false,
        };
    if !allowed {
        return Err(ServiceError::Forbidden(Refusal::DeleteOthersPost));
    }
    let keys = store::attachments::keys_of_post(tx.conn(), post_id.0).await?;
    store::posts::delete(tx.conn(), post_id.0).await?;
    tx.commit().await?;
    svc.committed(Change::Post {
        author: post.author,
        space: post.space_id,
    });
    media::delete_objects(svc, &keys).await;
    Ok(Detail::new("the post has been deleted successfully"))
}

/// Likes the post, or takes the like back. The like row is unique per (post, user) and
/// the counter moves in the same transaction, so racing toggles stay exact.
pub async fn like(svc: &Services, me: &AuthUser, post_id: PostId) -> ServiceResult<LikeResult> {
    let mut tx = svc.store().begin().await?;
    let post = access(tx.conn(), post_id, Some(me.id())).await?;
    post.require_participation()?;
    let (post_id, user_id) = (post_id.0, me.id().0);
    let liked = store::posts::insert_like(tx.conn(), post_id, user_id, now())
        .await
        .map_err(gone_post)?;
    let delta = if liked {
        1
    } else if store::posts::delete_like(tx.conn(), post_id, user_id).await? {
        -1
    } else {
        0
    };
    let like_count = if delta == 0 {
        store::posts::likes_nbr(tx.conn(), post_id).await?
    } else {
        store::posts::add_likes(tx.conn(), post_id, delta).await?
    }
    .ok_or_else(not_found)?;
    tx.commit().await?;
    if liked {
        let about = About {
            post_id: Some(PostId(post_id)),
            ..About::default()
        };
        notifications::notify(svc, post.author, NotificationKind::Like, me.id(), about).await;
    }
    Ok(LikeResult { liked, like_count })
}

// --- reading -----------------------------------------------------------------------

/// One post, if the viewer may see it.
pub async fn view(
    svc: &Services,
    viewer: Option<&AuthUser>,
    post_id: PostId,
) -> ServiceResult<PostDisplay> {
    let viewer = viewer.map(AuthUser::id);
    let mut db = svc.store().reader().await?;
    access(db.conn(), post_id, viewer).await?;
    let row = store::posts::by_id(db.conn(), post_id.0, viewer_key(viewer))
        .await?
        .ok_or_else(not_found)?;
    let mut shown = decorate(&mut db, vec![row]).await?;
    shown.pop().ok_or_else(not_found)
}

/// A user's profile posts that the viewer may see, newest first.
pub async fn of_user(
    svc: &Services,
    viewer: Option<&AuthUser>,
    user_id: UserId,
    paging: Paging,
) -> ServiceResult<Page<PostDisplay>> {
    let pager = pager(&paging)?;
    let viewer = viewer_key(viewer.map(AuthUser::id));
    let mut db = svc.store().reader().await?;
    require_user(&mut db, user_id).await?;
    let rows = store::posts::of_user(db.conn(), viewer, user_id.0, store_window(&pager)).await?;
    page_of(&mut db, rows, &pager).await
}

/// A space's posts, for its members.
pub async fn of_space(
    svc: &Services,
    me: &AuthUser,
    space_id: SpaceId,
    author: Option<UserId>,
    paging: Paging,
) -> ServiceResult<Page<PostDisplay>> {
    spaces::require_member(svc, space_id, me)
        .await?
        .require(Action::View)?;
    let pager = pager(&paging)?;
    let mut db = svc.store().reader().await?;
    if let Some(author) = author {
        require_user(&mut db, author).await?;
    }
    let rows = store::posts::of_space(
        db.conn(),
        me.id().0,
        space_id.0,
        author.map(|a| a.0),
        store_window(&pager),
    )
    .await?;
    page_of(&mut db, rows, &pager).await
}

async fn require_user(db: &mut Db, user_id: UserId) -> ServiceResult<()> {
    store::users::by_id(db.conn(), user_id.0)
        .await?
        .map(|_| ())
        .ok_or_else(|| ServiceError::NotFound(Missing::User))
}

/// The page of a newest-first listing of posts or comments, keyed by
/// `(created_at, id)`: upstream's page size (default [`DEFAULT_PAGE_SIZE`]).
pub(crate) fn pager(paging: &Paging) -> ServiceResult<Pager<2>> {
    let [created_at, id] = [Window::FROM_NEWEST.0, Window::FROM_NEWEST.1];
    paging.pager_within([created_at, id], DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
}

/// The store's view of a page: rows after the cursor, one more than the page.
pub(crate) fn store_window(pager: &Pager<2>) -> Window {
    let [created_at, id] = pager.after;
    Window {
        before: (created_at, id),
        fetch: pager.fetch(),
        offset: pager.offset(),
    }
}

/// One page of posts, with the cursor of the next.
pub(crate) async fn page_of(
    db: &mut Db,
    rows: Vec<PostRow>,
    pager: &Pager<2>,
) -> ServiceResult<Page<PostDisplay>> {
    let (rows, next) = pager.page(rows, |row| [row.created_at, row.id]);
    Ok(Page::new(decorate(db, rows).await?, next))
}

/// The posts as shown, with their attachments, loaded at once for the posts that have
/// any (the tags come with the rows).
pub(crate) async fn decorate(db: &mut Db, rows: Vec<PostRow>) -> ServiceResult<Vec<PostDisplay>> {
    let with_attachments: Vec<i64> = rows
        .iter()
        .filter(|row| row.has_attachments)
        .map(|row| row.id)
        .collect();
    let mut attachments: HashMap<i64, Vec<AttachmentDisplay>> = HashMap::new();
    for row in store::attachments::of_posts(db.conn(), &with_attachments).await? {
        attachments
            .entry(row.post_id)
            .or_default()
            .push(AttachmentDisplay {
                id: AttachmentId(row.id),
                file: row.file,
                file_public_id: row.file_public_id,
                post_id: PostId(row.post_id),
            });
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let shown = attachments.remove(&row.id).unwrap_or_default();
            display(row, shown)
        })
        .collect())
}

/// A post as shown, from its row and its attachments.
fn display(row: PostRow, attachments: Vec<AttachmentDisplay>) -> PostDisplay {
    let visibility = match (row.space_id, Audience::parse(&row.visibility)) {
        (Some(_), _) => Visibility::Space,
        (None, Audience::Public) => Visibility::Public,
        (None, Audience::Followers) => Visibility::Followers,
    };
    PostDisplay {
        tags: Some(row.tags.0),
        attachments: Some(attachments),
        title: row.title,
        content: row.content,
        id: PostId(row.id),
        created_at: Timestamp::from_millis(row.created_at),
        likes_nbr: row.likes_nbr,
        user_id: UserId(row.user_id),
        space_id: row.space_id.map(SpaceId),
        visibility,
        comments_nbr: row.comments_nbr,
        liked_by_me: row.liked_by_me,
        user: UserSummary {
            id: UserId(row.user_id),
            username: row.author.clone(),
            display_name: row.author_display_name,
            pfp: row.author_pfp,
        },
        author: row.author,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(space: bool, audience: Audience) -> PostAccess {
        PostAccess {
            author: UserId(1),
            space_id: space.then_some(SpaceId(7)),
            audience,
            viewer_follows: false,
            viewer_role: None,
        }
    }

    #[test]
    fn who_sees_what() {
        let (author, other) = (Some(UserId(1)), Some(UserId(2)));
        let public = post(false, Audience::Public);
        assert!(visible(&public, None) && visible(&public, other) && visible(&public, author));

        let mut followers = post(false, Audience::Followers);
        assert!(!visible(&followers, None) && !visible(&followers, other));
        assert!(visible(&followers, author));
        followers.viewer_follows = true;
        assert!(visible(&followers, other));
        // Anonymous callers are never followers.
        assert!(!visible(&followers, None));

        let mut in_space = post(true, Audience::Public);
        assert!(!visible(&in_space, None) && !visible(&in_space, other));
        assert!(visible(&in_space, author));
        in_space.viewer_follows = true;
        assert!(!visible(&in_space, other), "following is not membership");
        in_space.viewer_role = Some(Role::Member);
        assert!(visible(&in_space, other));
    }

    #[test]
    fn participating_in_a_space_post_needs_membership() {
        let mut in_space = post(true, Audience::Public);
        assert!(matches!(
            in_space.require_participation(),
            Err(ServiceError::Forbidden(_))
        ));
        in_space.viewer_role = Some(Role::Member);
        assert!(in_space.require_participation().is_ok());
        assert!(!in_space.viewer_moderates());
        in_space.viewer_role = Some(Role::Moderator);
        assert!(in_space.viewer_moderates());
        assert!(
            post(false, Audience::Public)
                .require_participation()
                .is_ok()
        );
    }

    #[test]
    fn tags_are_normalised_and_bounded() {
        let tags = |list: &[&str]| list.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        assert_eq!(
            normalise_tags(&tags(&[" Rust ", "#rust", "Web Dev"])),
            Some(tags(&["rust", "web dev"]))
        );
        assert_eq!(normalise_tags(&[]), Some(vec![]));
        assert_eq!(normalise_tags(&tags(&[""])), None);
        assert_eq!(normalise_tags(&tags(&["#"])), None);
        assert_eq!(normalise_tags(&tags(&[&"x".repeat(31)])), None);
        assert!(normalise_tags(&tags(&[&"é".repeat(30)])).is_some());
        let eleven: Vec<String> = (0..11).map(|n| format!("t{n}")).collect();
        assert_eq!(normalise_tags(&eleven), None);
    }

    #[test]
    fn create_needs_title_and_content_but_edit_does_not() {
        let empty = PostUpdate::default();
        let Err(ServiceError::Validation(fields)) = check(&empty, true, false) else {
            panic!("expected 422")
        };
        let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["title", "content"]);
        assert!(check(&empty, false, false).is_ok());
        let blank = PostUpdate {
            title: Some("   ".into()),
            ..PostUpdate::default()
        };
        assert!(check(&blank, false, false).is_err());
        let long = PostUpdate {
            title: Some("t".into()),
            content: Some("c".repeat(20_001)),
            ..PostUpdate::default()
        };
        assert!(check(&long, true, false).is_err());
    }

    #[test]
    fn visibility_depends_on_where_the_post_is() {
        use Visibility::*;
        assert_eq!(stored_visibility(None, false), Some(Audience::Public));
        assert_eq!(
            stored_visibility(Some(Followers), false),
            Some(Audience::Followers)
        );
        assert_eq!(stored_visibility(Some(Space), false), None);
        assert_eq!(stored_visibility(None, true), Some(Audience::Public));
        assert_eq!(stored_visibility(Some(Space), true), Some(Audience::Public));
        assert_eq!(stored_visibility(Some(Followers), true), None);
        assert_eq!(stored_visibility(Some(Public), true), None);
    }
}
