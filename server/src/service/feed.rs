//! The feed (`GET /posts/feed/`).

use socmel_api_types::{Page, posts::PostDisplay};

use super::{
    ServiceResult, Services,
    auth::AuthUser,
    pagination::PageQuery,
    posts::{DEFAULT_PAGE_SIZE, page_of, store_window},
};
use crate::store;

/// Signed in: the caller's own posts, the profile posts of the people they follow
/// (accepted follows only) and the posts of their spaces. Anonymous: public profile
/// posts. Newest first, ties broken by id.
pub async fn feed(
    svc: &Services,
    viewer: Option<&AuthUser>,
    query: PageQuery,
) -> ServiceResult<Page<PostDisplay>> {
    let window = query.window(DEFAULT_PAGE_SIZE, 2)?;
    let mut db = svc.store().reader().await?;
    let rows = match viewer {
        Some(me) => store::feed::personal(db.conn(), me.id().0, store_window(&window)).await?,
        None => store::feed::public(db.conn(), store_window(&window)).await?,
    };
    page_of(&mut db, rows, &window).await
}
