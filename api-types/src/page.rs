//! One page of a listing: `{"items": [...], "next_cursor": "..." | null}`.

use serde::{Deserialize, Serialize};

/// A page of a new-style listing. Pass `next_cursor` back as `cursor` for the next page;
/// `null` means this was the last one. Cursors are opaque.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Page<T: PageItem> {
    /// This page's items, in the listing's order.
    pub items: Vec<T>,
    /// The cursor of the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl<T: PageItem> Page<T> {
    /// A page of `items`, followed by the page at `next_cursor` if any.
    pub fn new(items: Vec<T>, next_cursor: Option<String>) -> Self {
        Self { items, next_cursor }
    }
}

/// What a page may hold: any DTO (with the `openapi` feature, any schema object).
#[cfg(feature = "openapi")]
pub trait PageItem:
    poem_openapi::types::ParseFromJSON + poem_openapi::types::ToJSON + Send + Sync
{
}
#[cfg(feature = "openapi")]
impl<T: poem_openapi::types::ParseFromJSON + poem_openapi::types::ToJSON + Send + Sync> PageItem
    for T
{
}

/// What a page may hold: any DTO (with the `openapi` feature, any schema object).
#[cfg(not(feature = "openapi"))]
pub trait PageItem {}
#[cfg(not(feature = "openapi"))]
impl<T> PageItem for T {}
