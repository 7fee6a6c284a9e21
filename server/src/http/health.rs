//! `GET /health`.

use poem::web::Data;
use poem_openapi::OpenApi;
use socmel_api_types::health::Health;

use super::{ApiTags, errors::ApiResult, json::Json};
use crate::service::{self, Services};

pub struct HealthApi;

#[OpenApi(tag = "ApiTags::Meta")]
impl HealthApi {
    /// Server and database health
    ///
    /// 200 when the database answers a query; 503 otherwise.
    #[oai(path = "/health", method = "get", operation_id = "health")]
    async fn health(&self, svc: Data<&Services>) -> ApiResult<Json<Health>> {
        Ok(Json(service::health::check(svc.0).await?))
    }
}
