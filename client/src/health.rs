//! `GET /health`

use reqwest::Method;
use socmel_api_types::health::Health;

use crate::{Client, ClientResult};

impl Client {
    /// `GET /health`
    pub async fn health(&self) -> ClientResult<Health> {
        self.send(self.request(Method::GET, "/health")).await
    }
}
