//! Outgoing mail. With `SMTP_URL` set, mail goes through that relay (lettre; `smtps://`
//! for TLS, `smtp://…?tls=required` for STARTTLS); without it, each message is written
//! to `<DATA_DIR>/outbox/` as an `.eml` file and logged, so a fresh install works and
//! a developer can read the codes.
//!
//! Sending never blocks a request: messages go into a bounded queue that one worker
//! drains, retrying failed deliveries with backoff.

use std::{path::PathBuf, time::Duration};

use anyhow::Context;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, header::ContentType},
};
use tokio::sync::mpsc;

/// A plain-text message to one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// How many messages may wait; beyond that new ones are dropped (and logged).
const QUEUE: usize = 1024;
/// Delivery attempts per message.
const ATTEMPTS: u32 = 5;

/// The handle services hold. Cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    queue: mpsc::Sender<Mail>,
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(PathBuf),
}

impl Mailer {
    /// Starts the delivery worker (inside the Tokio runtime).
    pub fn start(smtp_url: Option<&str>, outbox: PathBuf, from: &str) -> anyhow::Result<Self> {
        let from: Mailbox = from
            .parse()
            .with_context(|| format!("MAIL_FROM {from:?}"))?;
        let transport = match smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .context("SMTP_URL is not a valid smtp:// or smtps:// URL")?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            ),
            None => {
                std::fs::create_dir_all(&outbox)
                    .with_context(|| format!("creating the outbox {}", outbox.display()))?;
                Transport::Outbox(outbox)
            }
        };
        let (queue, incoming) = mpsc::channel(QUEUE);
        tokio::spawn(deliver_all(incoming, transport, from));
        Ok(Self { queue })
    }

    /// Queues `mail`; returns at once.
    pub fn send(&self, mail: Mail) {
        if let Err(err) = self.queue.try_send(mail) {
            tracing::error!(error = %err, "mail queue full or closed; message dropped");
        }
    }
}

async fn deliver_all(mut incoming: mpsc::Receiver<Mail>, transport: Transport, from: Mailbox) {
    while let Some(mail) = incoming.recv().await {
        let message = match build(&mail, &from) {
            Ok(message) => message,
            Err(err) => {
                tracing::error!(error = %err, "mail could not be built; dropped");
                continue;
            }
        };
        let mut delay = Duration::from_secs(1);
        for attempt in 1..=ATTEMPTS {
            match deliver(&transport, &message).await {
                Ok(()) => break,
                Err(err) if attempt < ATTEMPTS => {
                    tracing::warn!(error = %err, attempt, "mail delivery failed; retrying");
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                }
                Err(err) => tracing::error!(error = %err, "mail delivery failed; giving up"),
            }
        }
    }
}

fn build(mail: &Mail, from: &Mailbox) -> anyhow::Result<Message> {
    Ok(Message::builder()
        .from(from.clone())
        .to(mail.to.parse().context("recipient address")?)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())?)
}

async fn deliver(transport: &Transport, message: &Message) -> anyhow::Result<()> {
    match transport {
        Transport::Smtp(smtp) => {
            smtp.send(message.clone()).await?;
            tracing::info!("mail sent");
        }
        Transport::Outbox(folder) => {
            let name = format!(
                "{}-{:08x}.eml",
                chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ"),
                rand::random::<u32>()
            );
            let path = folder.join(name);
            tokio::fs::write(&path, message.formatted()).await?;
            tracing::info!(path = %path.display(), "mail written to the outbox (SMTP_URL not set)");
        }
    }
    Ok(())
}

/// The plain-text messages SocMel sends.
pub mod templates {
    use super::Mail;

    pub fn verification_code(to: &str, code: &str, purpose: &str, minutes: i64) -> Mail {
        Mail {
            to: to.to_owned(),
            subject: format!("Your SocMel code: {code}"),
            body: format!(
                "Hello,\n\n\
                 Your SocMel verification code to {purpose} is:\n\n    {code}\n\n\
                 It expires in {minutes} minutes and works once. If you did not ask for it,\n\
                 ignore this message: nothing changes without the code.\n\n\
                 — SocMel\n"
            ),
        }
    }

    pub fn email_changed(old_address: &str, new_address: &str) -> Mail {
        Mail {
            to: old_address.to_owned(),
            subject: "Your SocMel email address was changed".to_owned(),
            body: format!(
                "Hello,\n\n\
                 The email address of your SocMel account was changed to {new_address}.\n\
                 If you did not do this, reset your password and contact the server's operator.\n\n\
                 — SocMel\n"
            ),
        }
    }

    pub fn password_changed(to: &str) -> Mail {
        Mail {
            to: to.to_owned(),
            subject: "Your SocMel password was changed".to_owned(),
            body: "Hello,\n\n\
                   The password of your SocMel account was changed and every session was signed out.\n\
                   If you did not do this, reset your password now.\n\n\
                   — SocMel\n"
                .to_owned(),
        }
    }
}
