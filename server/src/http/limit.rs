//! `GET /limit`: upstream's rate-limit demonstration route (2 requests a minute).

use poem_openapi::{Object, OpenApi};

use super::{ApiTags, errors::ApiResult, json::Json};

/// Upstream's answer, kept as is.
#[derive(Debug, Object, serde::Serialize)]
struct Gg {
    gg: String,
}

pub struct LimitApi;

#[OpenApi(tag = "ApiTags::Meta")]
impl LimitApi {
    /// Rate-limit demonstration
    ///
    /// Answers `{"gg": "gg"}`; a third call within a minute gets 429 with `Retry-After`.
    /// (The limit is spent before the handler runs; the error answers are documented
    /// like every other operation's.)
    #[oai(path = "/limit", method = "get", operation_id = "limit")]
    async fn limit(&self) -> ApiResult<Json<Gg>> {
        Ok(Json(Gg { gg: "gg".into() }))
    }
}
