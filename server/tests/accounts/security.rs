//! `/security/…` (contract §2 "Security codes"; upstream bugs 7 and 8).

use crate::common;

use common::{PASSWORD, TestServer, code_in, refusal, smtp::SmtpSink};
use socmel_client::{
    Client, ClientResult,
    types::{
        Detail, ErrorCode,
        security::{ChangeEmail, ChangePassword, CodePurpose, CodeRequest, ResetPassword},
    },
};

const NEW_PASSWORD: &str = "a much better passphrase";

async fn request_code(server: &TestServer, email: &str, purpose: CodePurpose) -> String {
    let seen = server.outbox_for(email).len();
    server
        .client()
        .request_verification_code(&CodeRequest {
            email: email.into(),
            purpose,
        })
        .await
        .unwrap();
    let mail = server.next_mail(email, seen).await;
    code_in(&mail).expect("a code in the mail")
}

fn reset(email: &str, key: &str, new_password: &str) -> ResetPassword {
    ResetPassword {
        email: email.into(),
        new_password: new_password.into(),
        new_password_confirm: new_password.into(),
        key: key.into(),
    }
}

/// A fresh client resets ada's password with the code `key`.
async fn reset_ada(server: &TestServer, key: &str, new_password: &str) -> ClientResult<Detail> {
    let body = reset("ada@example.com", key, new_password);
    server.client().reset_password(&body).await
}

fn change(email: &str, key: &str, old_password: &str, new_password: &str) -> ChangePassword {
    ChangePassword {
        email: email.into(),
        old_password: old_password.into(),
        new_password: new_password.into(),
        new_password_confirm: new_password.into(),
        key: key.into(),
    }
}

#[tokio::test]
async fn a_password_reset_by_emailed_code_revokes_old_tokens() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let code = request_code(&server, "ada@example.com", CodePurpose::ResetPassword).await;
    assert_eq!(code.len(), 8);

    let done = reset_ada(&server, &code, NEW_PASSWORD).await.unwrap();
    assert_eq!(done.detail, "the password has been changed successfully");
    // Old access and refresh tokens are dead; the old password too; the new one works.
    server.assert_signed_out(&ada).await;
    assert_eq!(
        server
            .client()
            .login("ada", PASSWORD)
            .await
            .unwrap_err()
            .status(),
        Some(401)
    );
    assert!(server.client().login("ada", NEW_PASSWORD).await.is_ok());
    // The code worked once.
    let again = reset_ada(&server, &code, PASSWORD).await.unwrap_err();
    assert_eq!(again.status(), Some(404));
}

#[tokio::test]
async fn asking_for_a_code_never_reveals_whether_an_account_exists() {
    // Upstream bug 8: a 404 told anyone which emails had accounts.
    let server = TestServer::start().await;
    server.user("ada").await;
    let client = server.client();
    let known = client
        .request_verification_code(&CodeRequest {
            email: "ada@example.com".into(),
            purpose: CodePurpose::ResetPassword,
        })
        .await
        .unwrap();
    let unknown = client
        .request_verification_code(&CodeRequest {
            email: "ghost@example.com".into(),
            purpose: CodePurpose::ResetPassword,
        })
        .await
        .unwrap();
    assert_eq!(known, unknown);
    // And a reset for an unknown account looks like a wrong code.
    let err = client
        .reset_password(&reset("ghost@example.com", "ABCD1234", NEW_PASSWORD))
        .await
        .unwrap_err();
    let wrong = client
        .reset_password(&reset("ada@example.com", "ABCD1234", NEW_PASSWORD))
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.body().unwrap().detail.clone()),
        (wrong.status(), wrong.body().unwrap().detail.clone())
    );
    assert!(server.outbox_for("ghost@example.com").is_empty());
}

#[tokio::test]
async fn five_wrong_tries_kill_the_code() {
    let server = TestServer::start().await;
    server.user("ada").await;
    let code = request_code(&server, "ada@example.com", CodePurpose::ResetPassword).await;
    let wrong_code = if code == "AAAAAAAA" {
        "BBBBBBBB"
    } else {
        "AAAAAAAA"
    };
    for _ in 0..5 {
        assert_eq!(
            refusal(reset_ada(&server, wrong_code, NEW_PASSWORD).await),
            (404, "incorrect code, try again".into())
        );
    }
    let too_late = reset_ada(&server, &code, NEW_PASSWORD).await.unwrap_err();
    assert_eq!(
        too_late.status(),
        Some(404),
        "the right code must be dead after five wrong tries"
    );
}

#[tokio::test]
async fn a_code_is_bound_to_its_purpose() {
    // Upstream bug 8: any code worked for any purpose.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let code = request_code(&server, "ada@example.com", CodePurpose::ChangeEmail).await;
    let err = reset_ada(&server, &code, NEW_PASSWORD).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    // It still works for what it was made for.
    let change = ChangeEmail {
        old_email: "ada@example.com".into(),
        new_email: "ada@new.example".into(),
        key: code,
    };
    assert!(ada.client.change_email(&change).await.is_ok());
}

#[tokio::test]
async fn an_expired_code_is_410() {
    let server = TestServer::start().await;
    server.user("ada").await;
    let code = request_code(&server, "ada@example.com", CodePurpose::ResetPassword).await;
    server
        .execute("UPDATE verification_codes SET expires_at = 1")
        .await;
    let err = reset_ada(&server, &code, NEW_PASSWORD).await.unwrap_err();
    assert_eq!(err.status(), Some(410));
    assert_eq!(err.code(), Some(ErrorCode::Gone));
    assert_eq!(
        err.body().unwrap().detail,
        "the code you entered is no longer valid, generate a new one"
    );
}

#[tokio::test]
async fn changing_the_password_needs_the_old_one_and_signs_out_everywhere() {
    // Upstream bug 7: `old_password` was never checked.
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let code = request_code(&server, "ada@example.com", CodePurpose::ChangePassword).await;
    let mut change = change("ada@example.com", &code, "not my password", NEW_PASSWORD);
    assert_eq!(
        refusal(ada.client.change_password(&change).await),
        (400, "the old password is incorrect".into())
    );

    let mut mismatch = change.clone();
    mismatch.new_password_confirm = "something else entirely".into();
    let err = ada.client.change_password(&mismatch).await.unwrap_err();
    assert_eq!(
        err.body().unwrap().detail,
        "Password and confirmation do not match"
    );

    change.old_password = PASSWORD.into();
    ada.client.change_password(&change).await.unwrap();
    assert_eq!(
        ada.client.current_user().await.unwrap_err().status(),
        Some(401)
    );
    assert!(server.client().login("ada", NEW_PASSWORD).await.is_ok());
    let notice = server.outbox_for("ada@example.com");
    assert!(
        notice
            .last()
            .unwrap()
            .contains("Subject: Your SocMel password was changed")
    );
}

#[tokio::test]
async fn changing_the_password_of_another_email_is_403() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    server.user("bob").await;
    let change = change("bob@example.com", "ABCD1234", PASSWORD, NEW_PASSWORD);
    assert_eq!(
        ada.client
            .change_password(&change)
            .await
            .unwrap_err()
            .status(),
        Some(403)
    );
}

#[tokio::test]
async fn changing_the_email_checks_uniqueness_and_tells_the_old_address() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    server.user("bob").await;
    let code = request_code(&server, "ada@example.com", CodePurpose::ChangeEmail).await;

    let taken = ChangeEmail {
        old_email: "ada@example.com".into(),
        new_email: "BOB@example.com".into(),
        key: code.clone(),
    };
    assert_eq!(
        ada.client.change_email(&taken).await.unwrap_err().status(),
        Some(409)
    );
    let invalid = ChangeEmail {
        new_email: "not an email".into(),
        ..taken.clone()
    };
    assert_eq!(
        ada.client
            .change_email(&invalid)
            .await
            .unwrap_err()
            .status(),
        Some(422)
    );
    let not_mine = ChangeEmail {
        old_email: "bob@example.com".into(),
        ..taken.clone()
    };
    assert_eq!(
        ada.client
            .change_email(&not_mine)
            .await
            .unwrap_err()
            .status(),
        Some(403)
    );

    let seen = server.outbox_for("ada@example.com").len();
    let change = ChangeEmail {
        new_email: "Ada@New.Example".into(),
        ..taken
    };
    ada.client.change_email(&change).await.unwrap();
    // The address signs in, so every session ended with the change (as with a
    // password change), and the old address is told.
    assert_eq!(ada.client.get_me().await.unwrap_err().status(), Some(401));
    let again = server
        .client()
        .login("ada@new.example", PASSWORD)
        .await
        .unwrap();
    let again = server.client().with_token(again.access_token);
    assert_eq!(
        again.get_me().await.unwrap().email.as_deref(),
        Some("ada@new.example")
    );
    let notice = server.next_mail("ada@example.com", seen).await;
    assert!(
        notice.contains("Subject: Your SocMel email address was changed"),
        "{notice}"
    );
    assert!(
        server
            .client()
            .login("ada@new.example", PASSWORD)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn codes_per_email_are_rate_limited() {
    let server = TestServer::start_with(|config| {
        config.rate_limits = "codes_email=2/10m".parse().unwrap();
    })
    .await;
    let client = server.client();
    let ask = CodeRequest {
        email: "ada@example.com".into(),
        purpose: CodePurpose::ResetPassword,
    };
    assert!(client.request_verification_code(&ask).await.is_ok());
    assert!(client.request_verification_code(&ask).await.is_ok());
    let err = client.request_verification_code(&ask).await.unwrap_err();
    assert_eq!(err.status(), Some(429));
}

#[tokio::test]
async fn codes_travel_by_smtp_when_a_relay_is_configured() {
    let mut sink = SmtpSink::start().await;
    let url = sink.url.clone();
    let server = TestServer::start_with(move |config| {
        config.smtp_url = Some(socmel_server::config::Secret::new(url));
    })
    .await;
    server.user("ada").await;
    Client::new(&server.url)
        .unwrap()
        .request_verification_code(&CodeRequest {
            email: "ada@example.com".into(),
            purpose: CodePurpose::ResetPassword,
        })
        .await
        .unwrap();
    let mail = sink.next().await;
    assert_eq!(mail.to, ["<ada@example.com>"]);
    let code = code_in(&mail.data).expect("a code in the message");
    assert!(reset_ada(&server, &code, NEW_PASSWORD).await.is_ok());
    assert!(
        server.outbox_for("ada@example.com").is_empty(),
        "with SMTP configured nothing goes to the outbox"
    );
}

#[tokio::test]
async fn a_change_without_the_old_password_is_422_naming_it() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let code = request_code(&server, "ada@example.com", CodePurpose::ChangePassword).await;
    let response = server
        .raw()
        .post(server.at("/security/change_password/"))
        .bearer_auth(&ada.tokens.access_token)
        .json(&serde_json::json!({
            "email": "ada@example.com",
            "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD,
            "key": code,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "validation");
    assert_eq!(body["fields"][0]["field"], "old_password", "{body}");
    // The code was not spent: the same change with the old password goes through.
    ada.client
        .change_password(&change("ada@example.com", &code, PASSWORD, NEW_PASSWORD))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_reset_still_takes_an_old_password_and_ignores_it() {
    let server = TestServer::start().await;
    server.user("ada").await;
    let code = request_code(&server, "ada@example.com", CodePurpose::ResetPassword).await;
    let response = server
        .raw()
        .post(server.at("/security/reset_password/"))
        .json(&serde_json::json!({
            "email": "ada@example.com",
            "old_password": "whatever it was",
            "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD,
            "key": code,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(server.client().login("ada", NEW_PASSWORD).await.is_ok());
}
