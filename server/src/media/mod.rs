//! Where uploaded images live, behind one small trait: a local folder (the default) or
//! S3-compatible storage through `object_store`, or Cloudinary when its three keys are
//! set. The rules (which files are accepted, their keys, when objects are deleted) are
//! in `service::media`; this module only moves bytes.

pub mod cloudinary;
mod objects;

use std::{path::PathBuf, sync::Arc};

use anyhow::Context;
use bytes::Bytes;
use futures_util::future::BoxFuture;

use crate::config::Config;

/// The bytes of a stored object, as they arrive.
pub type ByteStream = futures_util::stream::BoxStream<'static, std::io::Result<Bytes>>;

pub type MediaResult<T> = Result<T, anyhow::Error>;

/// Where an object went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The key to delete it by (Cloudinary: its public id).
    pub key: String,
    /// The URL clients fetch it from.
    pub url: String,
}

/// An object read back, for `GET /media/{key}`.
pub struct Fetched {
    pub size: u64,
    pub body: ByteStream,
}

/// A place to keep uploaded files. Failures are the backend's (network, disk); the
/// caller decides what they mean.
pub trait MediaStore: Send + Sync + 'static {
    /// For logs: which backend this is.
    fn describe(&self) -> String;

    /// Stores `bytes` under `key` (a fresh, unique name).
    fn put<'a>(
        &'a self,
        key: &'a str,
        content_type: &'static str,
        bytes: Bytes,
    ) -> BoxFuture<'a, MediaResult<Stored>>;

    /// Deletes the object; one that is already gone counts as deleted.
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, MediaResult<()>>;

    /// Reads an object back; `None` when there is no such object here, or when this
    /// backend's objects are served by someone else (Cloudinary).
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, MediaResult<Option<Fetched>>>;

    /// Keys of the objects stored before `cutoff` (Unix milliseconds), for the orphan
    /// purge. Backends that cannot list cheaply answer none.
    fn list_older_than<'a>(&'a self, cutoff: i64) -> BoxFuture<'a, MediaResult<Vec<String>>>;
}

/// The media backend and the upload size cap. Cheap to clone.
#[derive(Clone)]
pub struct Media {
    store: Arc<dyn MediaStore>,
    max_bytes: u64,
}

impl Media {
    pub fn new(store: Arc<dyn MediaStore>, max_bytes: u64) -> Self {
        Self { store, max_bytes }
    }

    /// The backend the configuration names: Cloudinary when `CLOUD_NAME`, `API_KEY` and
    /// `API_SECRET` are all set, else `MEDIA_URL` (S3 or a folder), else
    /// `<DATA_DIR>/media`.
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let store: Arc<dyn MediaStore> =
            match (&config.cloud_name, &config.api_key, &config.api_secret) {
                (Some(cloud), Some(key), Some(secret)) => Arc::new(cloudinary::Cloudinary::new(
                    cloud.clone(),
                    key.clone(),
                    secret.clone(),
                )?),
                (cloud, key, secret) => {
                    if cloud.is_some() || key.is_some() || secret.is_some() {
                        tracing::warn!(
                            "CLOUD_NAME, API_KEY and API_SECRET must all be set to use \
                             Cloudinary; storing media per MEDIA_URL instead"
                        );
                    }
                    match Target::parse(config.media_url.as_deref(), &config.data_dir)? {
                        Target::Folder(path) => {
                            std::fs::create_dir_all(&path).with_context(|| {
                                format!("creating the media folder {}", path.display())
                            })?;
                            Arc::new(objects::ObjectMedia::local(&path)?)
                        }
                        Target::S3 { url, prefix } => {
                            Arc::new(objects::ObjectMedia::s3(&url, prefix.as_deref())?)
                        }
                    }
                }
            };
        tracing::info!(backend = %store.describe(), "media storage ready");
        Ok(Self::new(store, config.media_max_bytes))
    }

    pub fn store(&self) -> &dyn MediaStore {
        self.store.as_ref()
    }

    /// The largest accepted file, in bytes.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }
}

/// Where `MEDIA_URL` points.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Folder(PathBuf),
    /// `url` is `s3://bucket`; keys go under `prefix` when one is given.
    S3 {
        url: String,
        prefix: Option<String>,
    },
}

impl Target {
    fn parse(media_url: Option<&str>, data_dir: &std::path::Path) -> anyhow::Result<Self> {
        let Some(url) = media_url.map(str::trim).filter(|url| !url.is_empty()) else {
            return Ok(Self::Folder(data_dir.join("media")));
        };
        if let Some(rest) = url
            .strip_prefix("s3://")
            .or_else(|| url.strip_prefix("s3a://"))
        {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            anyhow::ensure!(!bucket.is_empty(), "MEDIA_URL {url:?} names no bucket");
            let prefix = prefix.trim_matches('/');
            return Ok(Self::S3 {
                url: format!("s3://{bucket}"),
                prefix: (!prefix.is_empty()).then(|| prefix.to_owned()),
            });
        }
        if let Some(path) = url.strip_prefix("file://") {
            return Ok(Self::Folder(PathBuf::from(path)));
        }
        anyhow::ensure!(
            !url.contains("://"),
            "MEDIA_URL {url:?}: only s3://…, file://… or a folder are supported"
        );
        Ok(Self::Folder(PathBuf::from(url)))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn media_url_picks_the_backend() {
        let data = Path::new("/srv/socmel");
        assert_eq!(
            Target::parse(None, data).unwrap(),
            Target::Folder("/srv/socmel/media".into())
        );
        assert_eq!(
            Target::parse(Some(" "), data).unwrap(),
            Target::Folder("/srv/socmel/media".into())
        );
        assert_eq!(
            Target::parse(Some("s3://pics"), data).unwrap(),
            Target::S3 {
                url: "s3://pics".into(),
                prefix: None
            }
        );
        assert_eq!(
            Target::parse(Some("s3://pics/socmel/media/"), data).unwrap(),
            Target::S3 {
                url: "s3://pics".into(),
                prefix: Some("socmel/media".into())
            }
        );
        assert_eq!(
            Target::parse(Some("file:///var/media"), data).unwrap(),
            Target::Folder("/var/media".into())
        );
        assert_eq!(
            Target::parse(Some("./media"), data).unwrap(),
            Target::Folder("./media".into())
        );
        assert!(Target::parse(Some("s3://"), data).is_err());
        assert!(Target::parse(Some("gs://bucket"), data).is_err());
    }

    #[test]
    fn an_s3_url_builds_a_store_for_its_bucket() {
        // Built only: no request is sent until an object is stored.
        let store = objects::ObjectMedia::s3("s3://socmel-test-bucket", Some("media")).unwrap();
        let described = store.describe();
        assert!(described.contains("socmel-test-bucket"), "{described}");
        assert!(described.contains("media"), "{described}");
    }
}
