//! Media in an `object_store`: a local folder or an S3-compatible bucket. This server
//! serves these objects itself at `/media/{key}`.

use std::sync::Arc;

use anyhow::Context;
use bytes::Bytes;
use futures_util::{FutureExt, StreamExt, TryStreamExt, future::BoxFuture};
use object_store::{
    ObjectStore, ObjectStoreExt, aws::AmazonS3Builder, local::LocalFileSystem, path::Path,
    prefix::PrefixStore,
};

use super::{Fetched, MediaResult, MediaStore, Stored};

pub struct ObjectMedia {
    inner: Arc<dyn ObjectStore>,
    description: String,
}

impl ObjectMedia {
    /// Files under `folder`, which must exist.
    pub fn local(folder: &std::path::Path) -> anyhow::Result<Self> {
        let store = LocalFileSystem::new_with_prefix(folder)
            .with_context(|| format!("opening the media folder {}", folder.display()))?;
        Ok(Self {
            description: format!("folder {}", folder.display()),
            inner: Arc::new(store),
        })
    }

    /// A bucket named by `url` (`s3://bucket`); region, endpoint and credentials come
    /// from the `AWS_*` environment variables.
    pub fn s3(url: &str, prefix: Option<&str>) -> anyhow::Result<Self> {
        let bucket = AmazonS3Builder::from_env()
            .with_url(url)
            .build()
            .with_context(|| format!("configuring S3 storage for {url}"))?;
        let description = match prefix {
            Some(prefix) => format!("{bucket} under {prefix}/"),
            None => bucket.to_string(),
        };
        let inner: Arc<dyn ObjectStore> = match prefix {
            Some(prefix) => Arc::new(PrefixStore::new(bucket, prefix)),
            None => Arc::new(bucket),
        };
        Ok(Self { inner, description })
    }
}

impl MediaStore for ObjectMedia {
    fn describe(&self) -> String {
        self.description.clone()
    }

    fn put<'a>(
        &'a self,
        key: &'a str,
        _content_type: &'static str,
        bytes: Bytes,
    ) -> BoxFuture<'a, MediaResult<Stored>> {
        async move {
            self.inner
                .put(&Path::from(key), bytes.into())
                .await
                .with_context(|| format!("storing {key} in {}", self.description))?;
            Ok(Stored {
                key: key.to_owned(),
                url: format!("/media/{key}"),
            })
        }
        .boxed()
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, MediaResult<()>> {
        async move {
            match self.inner.delete(&Path::from(key)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(err) => Err(anyhow::Error::new(err)
                    .context(format!("deleting {key} from {}", self.description))),
            }
        }
        .boxed()
    }

    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, MediaResult<Option<Fetched>>> {
        async move {
            match self.inner.get(&Path::from(key)).await {
                Ok(found) => Ok(Some(Fetched {
                    size: found.meta.size,
                    body: found.into_stream().map_err(std::io::Error::other).boxed(),
                })),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(err) => Err(anyhow::Error::new(err)
                    .context(format!("reading {key} from {}", self.description))),
            }
        }
        .boxed()
    }

    fn list_older_than<'a>(&'a self, cutoff: i64) -> BoxFuture<'a, MediaResult<Vec<String>>> {
        async move {
            let mut listing = self.inner.list(None);
            let mut keys = Vec::new();
            while let Some(meta) = listing.next().await {
                let meta = meta.with_context(|| format!("listing {}", self.description))?;
                if meta.last_modified.timestamp_millis() < cutoff {
                    keys.push(meta.location.to_string());
                }
            }
            Ok(keys)
        }
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn local_objects_are_files_that_come_and_go() {
        let folder = tempfile::tempdir().unwrap();
        let media = ObjectMedia::local(folder.path()).unwrap();
        let stored = media
            .put("abc.png", "image/png", Bytes::from_static(b"png bytes"))
            .await
            .unwrap();
        assert_eq!(stored.url, "/media/abc.png");
        let on_disk = folder.path().join("abc.png");
        assert_eq!(std::fs::read(&on_disk).unwrap(), b"png bytes");

        let fetched = media.get("abc.png").await.unwrap().unwrap();
        assert_eq!(fetched.size, 9);
        let body: Vec<Bytes> = fetched.body.try_collect().await.unwrap();
        assert_eq!(body.concat(), b"png bytes");

        media.delete("abc.png").await.unwrap();
        assert!(!on_disk.exists());
        assert!(media.get("abc.png").await.unwrap().is_none());
        // Deleting what is already gone is fine.
        media.delete("abc.png").await.unwrap();
    }
}
