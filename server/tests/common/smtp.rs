//! A minimal SMTP server for tests: accepts every message and hands it to the test.
//! It speaks just enough of RFC 5321 (no TLS, no AUTH) for lettre's plain `smtp://`.

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
    sync::mpsc,
};

/// One delivered message.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

pub struct SmtpSink {
    pub url: String,
    messages: mpsc::UnboundedReceiver<Received>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp");
        let url = format!("smtp://{}", listener.local_addr().expect("address"));
        let (sender, messages) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, sender.clone()));
            }
        });
        Self { url, messages }
    }

    /// The next message, waiting up to ten seconds.
    pub async fn next(&mut self) -> Received {
        tokio::time::timeout(std::time::Duration::from_secs(10), self.messages.recv())
            .await
            .expect("no mail arrived within 10 s")
            .expect("smtp sink stopped")
    }
}

async fn session(stream: tokio::net::TcpStream, sender: mpsc::UnboundedSender<Received>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
    let mut message = Received {
        from: String::new(),
        to: Vec::new(),
        data: String::new(),
    };
    while let Ok(Some(line)) = lines.next_line().await {
        let verb = line.to_ascii_uppercase();
        let reply: &[u8] = if verb.starts_with("EHLO") {
            b"250-sink\r\n250 8BITMIME\r\n"
        } else if verb.starts_with("HELO") || verb.starts_with("RSET") || verb.starts_with("NOOP") {
            b"250 ok\r\n"
        } else if verb.starts_with("MAIL FROM:") {
            message.from = line[10..].trim().to_owned();
            b"250 ok\r\n"
        } else if verb.starts_with("RCPT TO:") {
            message.to.push(line[8..].trim().to_owned());
            b"250 ok\r\n"
        } else if verb == "DATA" {
            let _ = write.write_all(b"354 end with .\r\n").await;
            while let Ok(Some(data_line)) = lines.next_line().await {
                if data_line == "." {
                    break;
                }
                message
                    .data
                    .push_str(data_line.strip_prefix('.').unwrap_or(&data_line));
                message.data.push('\n');
            }
            let _ = sender.send(std::mem::replace(
                &mut message,
                Received {
                    from: String::new(),
                    to: Vec::new(),
                    data: String::new(),
                },
            ));
            b"250 queued\r\n"
        } else if verb.starts_with("QUIT") {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"502 not implemented\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}
