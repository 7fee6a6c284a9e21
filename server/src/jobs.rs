//! Background jobs (tokio-cron-scheduler). Each job logs what it did, can be run on
//! demand (`socmel-server jobs run <name>`, and by tests), and with several nodes on
//! PostgreSQL runs on one node at a time (advisory lock).

use std::fmt;

use anyhow::Context;
use clap::ValueEnum;
use serde::Serialize;
use tokio_cron_scheduler::{Job as CronJob, JobScheduler};

use crate::{
    service::{Services, now},
    store::maintenance,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Job {
    /// Expired refresh tokens, verification codes and invitations (hourly).
    PurgeExpired,
    /// Notes older than 24 hours (hourly).
    PurgeNotes,
    /// Stored images no row points at any more, a day after they were stored (daily).
    PurgeOrphanMedia,
    /// Rate-limit state of clients that have been quiet (every ten minutes).
    ForgetIdleLimits,
}

impl Job {
    const ALL: [Job; 4] = [
        Job::PurgeExpired,
        Job::PurgeNotes,
        Job::PurgeOrphanMedia,
        Job::ForgetIdleLimits,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::PurgeExpired => "purge-expired",
            Self::PurgeNotes => "purge-notes",
            Self::PurgeOrphanMedia => "purge-orphan-media",
            Self::ForgetIdleLimits => "forget-idle-limits",
        }
    }

    /// When it runs (seconds minutes hours day-of-month month day-of-week, UTC).
    fn schedule(self) -> &'static str {
        match self {
            Self::PurgeExpired => "0 5 * * * *",
            Self::PurgeNotes => "0 0 * * * *",
            Self::PurgeOrphanMedia => "0 30 3 * * *",
            Self::ForgetIdleLimits => "0 */10 * * * *",
        }
    }

    /// The advisory-lock key, stable across releases.
    fn lock_key(self) -> i64 {
        match self {
            Self::PurgeExpired => 0x50c0_0001,
            Self::ForgetIdleLimits => 0x50c0_0002,
            Self::PurgeNotes => 0x50c0_0003,
            Self::PurgeOrphanMedia => 0x50c0_0004,
        }
    }
}

impl fmt::Display for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub job: &'static str,
    /// False when another node held the job's lock, so nothing ran here.
    pub ran: bool,
    /// Rows or objects removed, by kind.
    pub removed: Vec<(&'static str, u64)>,
}

/// Runs `job` now, under its lock.
pub async fn run(services: &Services, job: Job) -> anyhow::Result<Report> {
    let store = services.store();
    let Some(lock) = maintenance::try_lock(store, job.lock_key()).await? else {
        tracing::info!(job = job.name(), "another node is running this job");
        return Ok(Report {
            job: job.name(),
            ran: false,
            removed: Vec::new(),
        });
    };
    let outcome = work(services, job).await;
    lock.release().await?;
    let removed = outcome.with_context(|| format!("job {job}"))?;
    tracing::info!(job = job.name(), ?removed, "job done");
    Ok(Report {
        job: job.name(),
        ran: true,
        removed,
    })
}

async fn work(services: &Services, job: Job) -> anyhow::Result<Vec<(&'static str, u64)>> {
    Ok(match job {
        Job::PurgeExpired => {
            let (tokens, codes, invitations) =
                maintenance::purge_expired(services.store(), now()).await?;
            vec![
                ("refresh_tokens", tokens),
                ("verification_codes", codes),
                ("invitations", invitations),
            ]
        }
        Job::PurgeNotes => {
            let removed = maintenance::purge_notes(services.store(), now() - DAY_MILLIS).await?;
            vec![("notes", removed)]
        }
        Job::PurgeOrphanMedia => vec![("media_objects", purge_orphan_media(services).await?)],
        Job::ForgetIdleLimits => {
            services.limits().forget_idle_keys();
            Vec::new()
        }
    })
}

const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;

/// Deletes stored objects older than a day that no row points at. The day of grace
/// covers uploads whose row is still being written.
async fn purge_orphan_media(services: &Services) -> anyhow::Result<u64> {
    // Message uploads that no message claimed within a day let go of their objects.
    {
        let mut db = services.store().writer().await?;
        crate::store::message_attachments::delete_unclaimed(db.conn(), now() - DAY_MILLIS).await?;
    }
    let store = services.media().store();
    let mut removed = 0;
    for key in store.list_older_than(now() - DAY_MILLIS).await? {
        if !maintenance::media_key_in_use(services.store(), &key).await? {
            store.delete(&key).await?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Starts every job on its schedule; shut the returned scheduler down on exit.
pub async fn start(services: Services) -> anyhow::Result<JobScheduler> {
    let scheduler = JobScheduler::new()
        .await
        .context("creating the job scheduler")?;
    for job in Job::ALL {
        let services = services.clone();
        let cron = CronJob::new_async(job.schedule(), move |_, _| {
            let services = services.clone();
            Box::pin(async move {
                if let Err(err) = run(&services, job).await {
                    tracing::error!(job = job.name(), error = ?err, "job failed");
                }
            })
        })
        .with_context(|| format!("scheduling {job}"))?;
        scheduler
            .add(cron)
            .await
            .with_context(|| format!("adding {job}"))?;
    }
    scheduler
        .start()
        .await
        .context("starting the job scheduler")?;
    Ok(scheduler)
}
