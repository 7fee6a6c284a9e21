//! Cloudinary, through its signed upload API: every call carries `api_key`, a
//! `timestamp` and a `signature`, the SHA-1 of the sorted parameters followed by the
//! API secret. Cloudinary serves the images itself, from the `secure_url` it returns.

use anyhow::Context;
use bytes::Bytes;
use futures_util::{FutureExt, future::BoxFuture};
use serde::Deserialize;
use sha1::{Digest, Sha1};

use super::{Fetched, MediaResult, MediaStore, Stored};
use crate::secret::Secret;

const API_BASE: &str = "https://api.cloudinary.com/v1_1";
/// Every upload goes to this folder of the cloud.
const FOLDER: &str = "socmel";

pub struct Cloudinary {
    http: reqwest::Client,
    cloud_name: String,
    api_key: String,
    api_secret: Secret,
}

#[derive(Deserialize)]
struct Uploaded {
    public_id: String,
    secure_url: String,
}

#[derive(Deserialize)]
struct Destroyed {
    result: String,
}

impl Cloudinary {
    pub fn new(cloud_name: String, api_key: String, api_secret: Secret) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .context("building the Cloudinary HTTP client")?;
        Ok(Self {
            http,
            cloud_name,
            api_key,
            api_secret,
        })
    }

    fn endpoint(&self, action: &str) -> String {
        format!("{API_BASE}/{}/image/{action}", self.cloud_name)
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
        what: &str,
    ) -> MediaResult<T> {
        let response = request
            .send()
            .await
            .with_context(|| format!("Cloudinary {what}"))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .with_context(|| format!("Cloudinary {what}"))?;
        anyhow::ensure!(
            status.is_success(),
            "Cloudinary {what} answered {status}: {text}"
        );
        serde_json::from_str(&text)
            .with_context(|| format!("Cloudinary {what} answered something unexpected: {text}"))
    }
}

/// The signature of a Cloudinary API call: SHA-1 (hex) of `k=v` pairs sorted by key,
/// joined with `&`, followed by the API secret.
pub fn sign(params: &[(&str, &str)], api_secret: &str) -> String {
    let mut sorted = params.to_vec();
    sorted.sort_unstable();
    let joined: Vec<String> = sorted.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut hasher = Sha1::new();
    hasher.update(joined.join("&").as_bytes());
    hasher.update(api_secret.as_bytes());
    hex::encode(hasher.finalize())
}

impl MediaStore for Cloudinary {
    fn describe(&self) -> String {
        format!("Cloudinary cloud {}", self.cloud_name)
    }

    fn put<'a>(
        &'a self,
        key: &'a str,
        content_type: &'static str,
        bytes: Bytes,
    ) -> BoxFuture<'a, MediaResult<Stored>> {
        async move {
            // Cloudinary adds the format itself; the public id is the key's stem.
            let public_id = key.split('.').next().unwrap_or(key);
            let timestamp = chrono::Utc::now().timestamp().to_string();
            let signature = sign(
                &[
                    ("folder", FOLDER),
                    ("public_id", public_id),
                    ("timestamp", &timestamp),
                ],
                self.api_secret.expose(),
            );
            let file = reqwest::multipart::Part::bytes(bytes.to_vec())
                .file_name(key.to_owned())
                .mime_str(content_type)?;
            let form = reqwest::multipart::Form::new()
                .part("file", file)
                .text("api_key", self.api_key.clone())
                .text("timestamp", timestamp)
                .text("folder", FOLDER)
                .text("public_id", public_id.to_owned())
                .text("signature", signature);
            let uploaded: Uploaded = self
                .send(
                    self.http.post(self.endpoint("upload")).multipart(form),
                    "upload",
                )
                .await?;
            Ok(Stored {
                key: uploaded.public_id,
                url: uploaded.secure_url,
            })
        }
        .boxed()
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, MediaResult<()>> {
        async move {
            let timestamp = chrono::Utc::now().timestamp().to_string();
            let signature = sign(
                &[
                    ("invalidate", "true"),
                    ("public_id", key),
                    ("timestamp", &timestamp),
                ],
                self.api_secret.expose(),
            );
            let form = [
                ("public_id", key),
                ("invalidate", "true"),
                ("timestamp", &timestamp),
                ("api_key", &self.api_key),
                ("signature", &signature),
            ];
            let destroyed: Destroyed = self
                .send(
                    self.http.post(self.endpoint("destroy")).form(&form),
                    "destroy",
                )
                .await?;
            // "not found" means it is already gone, which is what we wanted.
            anyhow::ensure!(
                matches!(destroyed.result.as_str(), "ok" | "not found"),
                "Cloudinary destroy of {key} answered {:?}",
                destroyed.result
            );
            Ok(())
        }
        .boxed()
    }

    fn get<'a>(&'a self, _key: &'a str) -> BoxFuture<'a, MediaResult<Option<Fetched>>> {
        async { Ok(None) }.boxed()
    }

    /// Cloudinary's admin listing is rate-limited and paged; objects there are removed
    /// when their rows go, and not swept.
    fn list_older_than<'a>(&'a self, _cutoff: i64) -> BoxFuture<'a, MediaResult<Vec<String>>> {
        async { Ok(Vec::new()) }.boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_match_cloudinarys_documented_example() {
        // The worked example of Cloudinary's "Generating authentication signatures".
        let signature = sign(
            &[
                ("timestamp", "1315060510"),
                ("public_id", "sample_image"),
                ("eager", "w_400,h_300,c_pad|w_260,h_200,c_crop"),
            ],
            "abcd",
        );
        assert_eq!(signature, "bfd09f95f331f558cbd1320e67aa8d488770583e");
    }

    #[test]
    fn the_order_of_parameters_does_not_matter() {
        let a = sign(&[("a", "1"), ("b", "2")], "s");
        let b = sign(&[("b", "2"), ("a", "1")], "s");
        assert_eq!(a, b);
        assert_ne!(a, sign(&[("a", "1"), ("b", "2")], "t"));
    }
}
