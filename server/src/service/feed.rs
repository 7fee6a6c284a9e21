//! The feed (`GET /posts/feed/`).

use socmel_api_types::{Page, posts::PostDisplay};

use super::{
    ServiceResult, Services,
    auth::AuthUser,
    pagination::Paging,
    posts::{page_of, pager, store_window},
};
use crate::store::{self, Db, posts::PostRow, posts::Window};

/// Signed in: the caller's own posts, the profile posts of the people they follow
/// (accepted follows only) and the posts of their spaces. Anonymous: public profile
/// posts. Newest first, ties broken by id.
pub async fn feed(
    svc: &Services,
    viewer: Option<&AuthUser>,
    paging: Paging,
) -> ServiceResult<Page<PostDisplay>> {
    let pager = pager(&paging)?;
    let mut db = svc.store().reader().await?;
    let rows = match viewer {
        Some(me) => personal(svc, &mut db, me.id().0, store_window(&pager)).await?,
        None => store::feed::public(db.conn(), store_window(&pager)).await?,
    };
    page_of(&mut db, rows, &pager).await
}

/// The first page, the one opened and refreshed most, starts from the candidates the
/// feed cache remembers (see `feed_cache`); deeper pages, and every page without the
/// cache, are read in one go.
async fn personal(
    svc: &Services,
    db: &mut Db,
    viewer: i64,
    window: Window,
) -> ServiceResult<Vec<PostRow>> {
    let cache = svc.feed_cache();
    if !cache.enabled() || !window.is_first_page() {
        return Ok(store::feed::personal(db.conn(), viewer, window).await?);
    }
    let candidates = match cache.candidates(viewer, window.fetch) {
        Some(remembered) => remembered,
        None => {
            let read_after = cache.tick();
            let sources = store::feed::sources(db.conn(), viewer).await?;
            let candidates = store::feed::personal_candidates(db.conn(), viewer, window).await?;
            cache.remember(
                viewer,
                window.fetch,
                read_after,
                sources,
                candidates.clone(),
            );
            candidates
        }
    };
    Ok(store::feed::personal_among(db.conn(), viewer, &candidates, window).await?)
}
