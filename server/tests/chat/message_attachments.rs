//! Message attachments: uploaded, carried by a message (REST or socket), shown in
//! history and frames, checked like post images, deleted with their message.

use crate::common;

use common::{TestServer, jpeg, png, ws::expect};
use socmel_client::{
    HistoryPage, UploadFile,
    types::{
        frames::*,
        messages::{Conversation, ConversationKind, SendMessage},
    },
};

fn file(name: &str, bytes: Vec<u8>) -> UploadFile {
    UploadFile::Bytes {
        file_name: name.into(),
        bytes,
    }
}

#[tokio::test]
async fn an_uploaded_image_rides_a_dm_and_goes_with_it() {
    let (server, [ada, bob]) = TestServer::with_users(["ada", "bob"]).await;
    let photo = ada
        .client
        .upload_message_attachment(file("cat.png", png(128)))
        .await
        .unwrap();
    assert!(photo.file.starts_with("/media/"), "{}", photo.file);
    let mut bob_ws = bob.client.connect_ws(None).await.unwrap();
    let mut ada_ws = ada.client.connect_ws(None).await.unwrap();
    ada_ws
        .send(&ClientFrame::Dm(SendDm {
            receiver_id: bob.user.id,
            draft: MessageDraft {
                message: "look".into(),
                parent_id: None,
                client_id: Some("p".into()),
                attachment_ids: vec![photo.id],
            },
        }))
        .await
        .unwrap();
    let got = expect(&mut bob_ws, "dm with a photo", |f| {
        matches!(f, ServerFrame::Dm(_))
    })
    .await;
    let ServerFrame::Dm(message) = got.frame else {
        unreachable!()
    };
    assert_eq!(message.attachments, std::slice::from_ref(&photo));
    let history = bob
        .client
        .dm_history(ada.user.id, HistoryPage::default())
        .await
        .unwrap();
    assert_eq!(history[0].attachments, std::slice::from_ref(&photo));
    let key = photo.file.rsplit('/').next().unwrap().to_owned();
    // Stored written anew without what follows the image's end: the same pixels.
    let served = bob.client.get_media(&key).await.unwrap().bytes;
    assert!(served.len() < 128, "the filler after the image is gone");
    assert_eq!(
        image::load_from_memory(&served).unwrap().to_rgba8(),
        image::load_from_memory(&png(128)).unwrap().to_rgba8()
    );

    // An attachment rides one message only.
    ada_ws
        .send(&ClientFrame::Dm(SendDm {
            receiver_id: bob.user.id,
            draft: MessageDraft {
                message: "again".into(),
                parent_id: None,
                client_id: Some("twice".into()),
                attachment_ids: vec![photo.id],
            },
        }))
        .await
        .unwrap();
    let refused = expect(&mut ada_ws, "refusal", |f| {
        matches!(f, ServerFrame::Error { .. })
    })
    .await;
    assert!(
        matches!(refused.frame, ServerFrame::Error(ErrorFrame { client_id: Some(c), .. }) if c == "twice")
    );

    ada.client
        .delete_message(ConversationKind::Dm, message.id)
        .await
        .unwrap();
    assert!(
        !server.data_dir.path().join("media").join(&key).exists(),
        "the object goes with its message"
    );
}

#[tokio::test]
async fn uploads_are_checked_and_only_their_owner_may_send_them() {
    let (_server, [ada, eve]) = TestServer::with_users(["ada", "eve"]).await;
    let err = ada
        .client
        .upload_message_attachment(file("notes.txt", b"just text".to_vec()))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(415));
    let photo = ada
        .client
        .upload_message_attachment(file("p.jpg", jpeg()))
        .await
        .unwrap();
    let stolen = SendMessage {
        conversation: Conversation::Dm {
            user_id: ada.user.id,
        },
        message: "mine now".into(),
        parent_id: None,
        attachment_ids: vec![photo.id],
    };
    assert_eq!(
        eve.client.send_message(&stolen).await.unwrap_err().status(),
        Some(400)
    );
    // The refused send stored nothing.
    assert!(
        ada.client
            .dm_history(eve.user.id, HistoryPage::default())
            .await
            .unwrap()
            .is_empty()
    );
    let too_many = SendMessage {
        conversation: Conversation::Dm {
            user_id: eve.user.id,
        },
        attachment_ids: vec![photo.id; 11],
        ..stolen
    };
    assert_eq!(
        ada.client
            .send_message(&too_many)
            .await
            .unwrap_err()
            .status(),
        Some(422)
    );
}

#[tokio::test]
async fn unsent_uploads_are_swept_after_a_day() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let photo = ada
        .client
        .upload_message_attachment(file("p.png", png(32)))
        .await
        .unwrap();
    let key = photo.file.rsplit('/').next().unwrap().to_owned();
    let path = server.data_dir.path().join("media").join(&key);
    server
        .execute("UPDATE message_attachments SET created_at = 1")
        .await;
    let status = std::process::Command::new("touch")
        .args(["-d", "2 days ago"])
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    let report = server
        .run_job(socmel_server::jobs::Job::PurgeOrphanMedia)
        .await;
    assert_eq!(report.removed, [("media_objects", 1)]);
    assert!(!path.exists());
    assert_eq!(
        server
            .count("SELECT COUNT(*) FROM message_attachments")
            .await,
        0
    );
}
