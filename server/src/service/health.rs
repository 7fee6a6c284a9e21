//! Liveness with a real database round trip.

use socmel_api_types::health::Health;

use super::{ServiceError, ServiceResult, Services};

pub async fn check(svc: &Services) -> ServiceResult<Health> {
    let store = svc.store();
    store.ping().await.map_err(ServiceError::Unavailable)?;
    Ok(Health {
        status: "ok".into(),
        database: store.backend().name().into(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}
