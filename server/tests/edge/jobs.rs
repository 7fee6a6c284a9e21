//! Background jobs: what they remove, the on-demand command, and the one-node lock.

use crate::common;

use common::{TEST_SECRET, TestServer, png};
use socmel_client::UploadFile;
use socmel_server::jobs::Job;

#[tokio::test]
async fn purge_expired_removes_dead_tokens_and_codes_only() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    server.user("bob").await;
    server
        .client()
        .request_verification_code(&socmel_client::types::security::CodeRequest {
            email: "ada@example.com".into(),
            purpose: socmel_client::types::security::CodePurpose::ResetPassword,
        })
        .await
        .unwrap();
    assert_eq!(server.count("SELECT COUNT(*) FROM refresh_tokens").await, 2);
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM verification_codes")
            .await,
        1
    );
    // Age ada's session and the code past their life; bob's session stays live.
    server
        .execute("UPDATE refresh_tokens SET expires_at = 1 WHERE user_id = (SELECT id FROM users WHERE username = 'ada')")
        .await;
    server
        .execute("UPDATE verification_codes SET expires_at = 1")
        .await;

    let report = server.run_job(Job::PurgeExpired).await;
    assert!(report.ran);
    assert_eq!(
        report.removed,
        [
            ("refresh_tokens", 1),
            ("verification_codes", 1),
            ("invitations", 0)
        ]
    );
    assert_eq!(server.count("SELECT COUNT(*) FROM refresh_tokens").await, 1);
    server.assert_refresh_refused(&ada).await;
}

#[tokio::test]
async fn jobs_run_on_demand_from_the_command_line() {
    let server = TestServer::start().await;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_socmel-server"))
        .args(["--data-dir", server.data_dir.path().to_str().unwrap()])
        .args(["--database-url", &server.database_url])
        .args(["--secret-key", TEST_SECRET])
        .args(["jobs", "run", "purge-expired"])
        .env("RUST_LOG", "off")
        .output()
        .expect("run socmel-server");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    assert_eq!(report["job"], "purge-expired");
    assert_eq!(report["ran"], true);
}

#[tokio::test]
async fn on_postgres_a_job_runs_on_one_node_at_a_time() {
    if !common::on_postgres() {
        return; // a single SQLite node needs no lock
    }
    use sqlx::Connection;
    let server = TestServer::start().await;
    let mut other_node = sqlx::PgConnection::connect(&server.database_url)
        .await
        .unwrap();
    sqlx::query("SELECT pg_advisory_lock(1354760193)")
        .execute(&mut other_node)
        .await
        .unwrap();
    let report = server.run_job(Job::PurgeExpired).await;
    assert!(
        !report.ran,
        "the job must skip while another node holds its lock"
    );
    sqlx::query("SELECT pg_advisory_unlock(1354760193)")
        .execute(&mut other_node)
        .await
        .unwrap();
    assert!(server.run_job(Job::PurgeExpired).await.ran);
}

#[tokio::test]
async fn purge_notes_removes_notes_past_their_day() {
    // Upstream bug 3/46: note expiry used the process start time.
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    ada.client.set_note("off to the beach").await.unwrap();
    bob.client.set_note("fresh").await.unwrap();
    server
        .execute(format!(
            "UPDATE notes SET created_at = 1 WHERE user_id = {}",
            ada.user.id
        ))
        .await;
    let report = server.run_job(Job::PurgeNotes).await;
    assert_eq!(report.removed, [("notes", 1)]);
    assert_eq!(server.count("SELECT COUNT(*) FROM notes").await, 1);
    assert!(!bob.client.get_note(ada.user.id).await.unwrap().exists);
    assert!(ada.client.get_note(bob.user.id).await.unwrap().exists);
}

#[tokio::test]
async fn purge_orphan_media_deletes_only_old_unreferenced_files() {
    // Upstream bug 46: the orphan purge never deleted stored objects.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let me = ada
        .client
        .upload_pfp(UploadFile::Bytes {
            file_name: "me.png".into(),
            bytes: png(64),
        })
        .await
        .unwrap();
    let media = server.data_dir.path().join("media");
    let in_use = me
        .pfp
        .as_deref()
        .and_then(|url| url.rsplit('/').next())
        .unwrap()
        .to_owned();
    for name in ["orphan-old.png", "orphan-new.png"] {
        std::fs::write(media.join(name), png(16)).unwrap();
    }
    // Age the picture in use and one orphan past the day of grace.
    for name in [in_use.as_str(), "orphan-old.png"] {
        let status = std::process::Command::new("touch")
            .args(["-d", "2 days ago"])
            .arg(media.join(name))
            .status()
            .unwrap();
        assert!(status.success());
    }
    let report = server.run_job(Job::PurgeOrphanMedia).await;
    assert_eq!(report.removed, [("media_objects", 1)]);
    assert!(!media.join("orphan-old.png").exists());
    assert!(
        media.join("orphan-new.png").exists(),
        "young files may still be getting their row"
    );
    assert!(media.join(&in_use).exists(), "a picture in use stays");
}
