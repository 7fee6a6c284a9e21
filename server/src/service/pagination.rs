//! Keyset pagination: opaque cursors and bounded page sizes.
//!
//! A cursor is the sort key of the last item of a page (e.g. `[created_at, id]`),
//! base64url-encoded so clients treat it as opaque. Stores fetch `limit + 1` rows;
//! [`paginate`] keeps `limit` of them and makes the next cursor from the last one kept.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use super::{ServiceResult, validation::Validation};

/// Page size when the client names none.
pub const DEFAULT_LIMIT: i64 = 50;
/// Largest page size a client may ask for.
pub const MAX_LIMIT: i64 = 100;

/// Checks `limit` (1..=max, 422 otherwise) and applies the default.
pub fn limit(requested: Option<i64>, default: i64, max: i64) -> ServiceResult<i64> {
    let value = requested.unwrap_or(default);
    Validation::default()
        .check(
            (1..=max).contains(&value),
            "limit",
            &format!("between 1 and {max}"),
        )
        .finish()?;
    Ok(value)
}

/// The opaque form of a sort key.
pub fn encode_cursor(key: &[i64]) -> String {
    let text: Vec<String> = key.iter().map(i64::to_string).collect();
    URL_SAFE_NO_PAD.encode(text.join(":"))
}

/// The sort key of a cursor with `parts` numbers; 422 (`cursor`) for anything else.
pub fn decode_cursor(cursor: &str, parts: usize) -> ServiceResult<Vec<i64>> {
    let key: Option<Vec<i64>> = URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.split(':').map(|n| n.parse().ok()).collect());
    let valid = key.as_ref().is_some_and(|key| key.len() == parts);
    Validation::default()
        .check(valid, "cursor", "not a cursor this listing gave out")
        .finish()?;
    Ok(key.unwrap_or_default())
}

/// The key a listing resumes after: the cursor's, or `start` (a key before every row)
/// when there is no cursor. 422 (`cursor`) for a cursor of another shape.
pub fn resume_after<const N: usize>(
    cursor: Option<&str>,
    start: [i64; N],
) -> ServiceResult<[i64; N]> {
    let Some(cursor) = cursor else {
        return Ok(start);
    };
    let key = decode_cursor(cursor, N)?;
    Ok(key.try_into().unwrap_or(start))
}

/// Keeps the first `limit` of `rows` (fetched as `limit + 1`) and the cursor of the
/// next page, if there is one.
pub fn paginate<T>(
    mut rows: Vec<T>,
    limit: i64,
    key: impl Fn(&T) -> Vec<i64>,
) -> (Vec<T>, Option<String>) {
    let limit = usize::try_from(limit).unwrap_or(0);
    if rows.len() <= limit {
        return (rows, None);
    }
    rows.truncate(limit);
    let next = rows.last().map(|last| encode_cursor(&key(last)));
    (rows, next)
}

/// Largest `page_size` of upstream's page-numbered listings.
pub const MAX_PAGE_SIZE: i64 = 100;

/// A listing's paging parameters, from either set the API takes: `limit` and `cursor`
/// (every listing of this server, [`Paging::keyset`]), or upstream's `page`,
/// `page_size` and `cursor` (posts, comments and the feed, whose clients send page
/// numbers, [`Paging::numbered`]). Both resolve through [`Paging::pager`] into one
/// [`Pager`], so every listing checks, resumes and cuts its page the same way; only the
/// name of the page-size field in a 422 differs, as each listing's clients sent it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paging {
    /// Rows per page, as asked (`limit` or `page_size`).
    size: Option<i64>,
    /// Upstream's page number (from 1); `None` for keyset listings and the first page.
    page: Option<i64>,
    /// `X-Next-Cursor` of the previous page.
    cursor: Option<String>,
    /// The wire name of `size`, for the 422 that refuses it.
    size_field: &'static str,
}

impl Paging {
    /// A keyset listing's parameters: `limit` and `cursor`.
    pub fn keyset(cursor: Option<String>, limit: Option<i64>) -> Self {
        Self {
            size: limit,
            page: None,
            cursor,
            size_field: "limit",
        }
    }

    /// Upstream's page-numbered parameters: `page`, `page_size` and `cursor` (which wins
    /// over `page` when both are given).
    pub fn numbered(page: Option<i64>, page_size: Option<i64>, cursor: Option<String>) -> Self {
        Self {
            size: page_size,
            page,
            cursor,
            size_field: "page_size",
        }
    }

    /// Checks the page size (1..=[`MAX_LIMIT`], [`DEFAULT_LIMIT`] when absent), the
    /// page number (≥ 1) and the cursor (a key of `N` numbers; `start`, a key before
    /// every row, without one): 422 naming each bad one.
    pub fn pager<const N: usize>(&self, start: [i64; N]) -> ServiceResult<Pager<N>> {
        self.pager_within(start, DEFAULT_LIMIT, MAX_LIMIT)
    }

    /// [`Self::pager`] with a listing's own default and largest page.
    pub fn pager_within<const N: usize>(
        &self,
        start: [i64; N],
        default: i64,
        max: i64,
    ) -> ServiceResult<Pager<N>> {
        let page = self.page.unwrap_or(1);
        let limit = self.size.unwrap_or(default);
        Validation::default()
            .check(page >= 1, "page", "at least 1")
            .check(
                (1..=max).contains(&limit),
                self.size_field,
                &format!("between 1 and {max}"),
            )
            .finish()?;
        let after = resume_after(self.cursor.as_deref(), start)?;
        // A cursor says where to go on; page numbers only count from the start.
        let offset = if self.cursor.is_some() {
            0
        } else {
            (page - 1).saturating_mul(limit)
        };
        Ok(Pager {
            after,
            offset,
            limit,
        })
    }
}

/// One page of a listing, checked: the key to resume after, the rows to skip (page
/// numbers only), and how many rows. Fetch [`Self::fetch`] rows after [`Self::after`],
/// skipping [`Self::offset`], then cut them with [`Self::page`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pager<const N: usize> {
    /// The sort key the page starts after.
    pub after: [i64; N],
    offset: i64,
    limit: i64,
}

impl<const N: usize> Pager<N> {
    /// Rows to fetch: one more than the page, which tells whether another page follows.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }

    /// Rows to skip after [`Self::after`]: 0 but for upstream's page numbers.
    pub fn offset(&self) -> i64 {
        self.offset
    }

    /// The page's rows (of those fetched) and the cursor of the next page, made from the
    /// sort key of the last row kept.
    pub fn page<T>(&self, rows: Vec<T>, key: impl Fn(&T) -> [i64; N]) -> (Vec<T>, Option<String>) {
        paginate(rows, self.limit, |row| key(row).to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::ServiceError;

    #[test]
    fn cursors_roundtrip_and_garbage_is_422() {
        let cursor = encode_cursor(&[1_700_000_000_000, 42]);
        assert_eq!(decode_cursor(&cursor, 2).unwrap(), [1_700_000_000_000, 42]);
        for bad in [
            "",
            "!!!",
            &encode_cursor(&[1]),
            &URL_SAFE_NO_PAD.encode("a:b"),
        ] {
            assert!(
                matches!(decode_cursor(bad, 2), Err(ServiceError::Validation(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn listings_resume_after_the_cursor_or_from_the_start() {
        assert_eq!(resume_after(None, [0]).unwrap(), [0]);
        assert_eq!(
            resume_after(Some(&encode_cursor(&[7, 9])), [i64::MIN, i64::MIN]).unwrap(),
            [7, 9]
        );
        assert!(resume_after(Some(&encode_cursor(&[7])), [0, 0]).is_err());
    }

    #[test]
    fn limits_are_bounded() {
        assert_eq!(limit(None, DEFAULT_LIMIT, MAX_LIMIT).unwrap(), 50);
        assert_eq!(limit(Some(100), DEFAULT_LIMIT, MAX_LIMIT).unwrap(), 100);
        assert!(limit(Some(0), DEFAULT_LIMIT, MAX_LIMIT).is_err());
        assert!(limit(Some(101), DEFAULT_LIMIT, MAX_LIMIT).is_err());
    }

    #[test]
    fn numbered_pages_check_bounds_and_let_the_cursor_win() {
        let start = [i64::MAX, i64::MAX];
        let window = |page, size, cursor: Option<&str>| {
            Paging::numbered(page, size, cursor.map(str::to_owned)).pager_within(start, 10, 100)
        };
        let first = window(None, None, None).unwrap();
        assert_eq!((first.offset(), first.fetch(), first.after), (0, 11, start));
        let third = window(Some(3), Some(20), None).unwrap();
        assert_eq!((third.offset(), third.fetch()), (40, 21));
        let cursor = encode_cursor(&[5, 6]);
        let resumed = window(Some(3), Some(20), Some(&cursor)).unwrap();
        assert_eq!((resumed.offset(), resumed.after), (0, [5, 6]));
        let Err(ServiceError::Validation(fields)) = window(Some(0), Some(101), None) else {
            panic!("expected 422")
        };
        let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["page", "page_size"]);
        assert!(window(None, Some(0), None).is_err());
        assert!(window(None, None, Some("junk")).is_err());
        // Huge pages do not overflow; they are simply empty.
        assert_eq!(
            window(Some(i64::MAX), Some(100), None).unwrap().offset(),
            i64::MAX
        );
    }

    #[test]
    fn keyset_pages_name_the_limit() {
        let pager = Paging::keyset(None, None).pager([0]).unwrap();
        assert_eq!((pager.fetch(), pager.offset(), pager.after), (51, 0, [0]));
        let Err(ServiceError::Validation(fields)) = Paging::keyset(None, Some(101)).pager([0])
        else {
            panic!("expected 422")
        };
        let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["limit"]);
    }

    #[test]
    fn pages_keep_limit_rows_and_point_past_the_last() {
        let (rows, next) = paginate(vec![5, 4, 3], 2, |n| vec![*n]);
        assert_eq!(rows, [5, 4]);
        assert_eq!(decode_cursor(&next.unwrap(), 1).unwrap(), [4]);
        let (rows, next) = paginate(vec![5, 4], 2, |n| vec![*n]);
        assert_eq!((rows.len(), next), (2, None));
    }
}
