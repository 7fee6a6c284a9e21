//! The edge against clients that misbehave on the wire, with raw TCP sockets: bodies
//! over the cap however they are framed, headers or bodies sent a byte at a time.

mod common;

use std::time::Duration;

use common::TestServer;
use socmel_client::types::frames::{ClientFrame, Ping, ServerFrame};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

async fn connect(server: &TestServer) -> TcpStream {
    let address = server.url.trim_start_matches("http://");
    TcpStream::connect(address).await.expect("connect")
}

/// Reads until the server closes the connection (or resets it), within a minute.
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut seen = Vec::new();
    let mut buf = [0; 4096];
    let reading = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), reading)
        .await
        .expect("the server closes the connection");
    String::from_utf8_lossy(&seen).into_owned()
}

/// A chunked body never says how long it is: the cap applies as it arrives, and the
/// server stops reading at the cap instead of buffering all of it.
#[tokio::test]
async fn a_chunked_body_over_the_cap_is_413_and_not_read_to_its_end() {
    let server = TestServer::start().await;
    let stream = connect(&server).await;
    let (mut reader, mut writer) = stream.into_split();
    const TOTAL: usize = 64 << 20;
    let sending = tokio::spawn(async move {
        let head = "POST /auth/register/ HTTP/1.1\r\nHost: localhost\r\n\
                    Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        writer.write_all(head.as_bytes()).await?;
        writer.write_all(b"10000\r\n{\"username\":\"").await?;
        writer.write_all(&vec![b'a'; 0x10000 - 13]).await?;
        writer.write_all(b"\r\n").await?;
        let chunk = [
            format!("{:x}\r\n", 0x10000).into_bytes(),
            vec![b'a'; 0x10000],
            b"\r\n".to_vec(),
        ]
        .concat();
        let mut sent = 0x10000;
        while sent < TOTAL {
            writer.write_all(&chunk).await?;
            sent += 0x10000;
        }
        writer.write_all(b"0\r\n\r\n").await?;
        Ok::<usize, std::io::Error>(sent)
    });
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(60), reader.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("payload_too_large"), "{answer}");
    let sent = sending.await.unwrap();
    assert!(
        sent.is_err(),
        "the server closed the connection before the 64 MiB were sent"
    );
}

/// A client that sends its headers a byte at a time is cut off at the header
/// deadline, however steadily the bytes come.
#[tokio::test]
async fn headers_sent_a_byte_at_a_time_are_cut_off() {
    let server = TestServer::start_with(|c| c.header_read_timeout_secs = 1).await;
    let mut stream = connect(&server).await;
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    let mut cut_off = false;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if stream.write_all(b"X").await.is_err() {
            cut_off = true;
            break;
        }
        let mut byte = [0; 1];
        if let Ok(Ok(0) | Err(_)) =
            tokio::time::timeout(Duration::from_millis(1), stream.read(&mut byte)).await
        {
            cut_off = true;
            break;
        }
    }
    assert!(cut_off, "ten seconds of trickled headers, still open");

    // A connection that never sends anything is closed too.
    let mut silent = connect(&server).await;
    assert_eq!(read_until_closed(&mut silent).await, "");
}

/// A body sent a byte at a time gets 408 at the body deadline, and the connection is
/// closed.
#[tokio::test]
async fn a_body_sent_a_byte_at_a_time_gets_408() {
    let server = TestServer::start_with(|c| c.body_read_timeout_secs = 1).await;
    let stream = connect(&server).await;
    let (mut reader, mut writer) = stream.into_split();
    let trickle = tokio::spawn(async move {
        let head = "POST /auth/register/ HTTP/1.1\r\nHost: localhost\r\n\
                    Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
        writer.write_all(head.as_bytes()).await?;
        for _ in 0..1000 {
            writer.write_all(b" ").await?;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok::<(), std::io::Error>(())
    });
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(60), reader.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );
    // The documented 408 of the operation, with its error body.
    let body = answer.split("\r\n\r\n").nth(1).expect("a body");
    let parsed: serde_json::Value = serde_json::from_str(body).expect("a JSON body");
    assert_eq!(parsed["code"], "request_timeout", "{body}");
    common::contract::validate(
        &poem::http::Method::POST,
        "/auth/register/",
        408,
        body.as_bytes(),
    )
    .expect("the answer is the one the document declares");
    trickle.abort();
}

/// The header deadline ends with the upgrade: a quiet WebSocket stays open past it.
#[tokio::test]
async fn a_websocket_outlives_the_header_deadline() {
    let server = TestServer::start_with(|c| {
        c.header_read_timeout_secs = 1;
        c.keep_alive_timeout_secs = 1;
    })
    .await;
    let ada = server.user("ada").await;
    let mut session = ada.client.connect_ws(None).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    session.send(&ClientFrame::Ping(Ping {})).await.unwrap();
    common::ws::expect(&mut session, "pong", |f| matches!(f, ServerFrame::Pong(_))).await;
}

/// Keep-alive still serves several requests on one connection.
#[tokio::test]
async fn keep_alive_connections_serve_several_requests() {
    let server = TestServer::start_with(|c| c.header_read_timeout_secs = 1).await;
    let mut stream = connect(&server).await;
    for _ in 0..3 {
        stream
            .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0; 4096];
        let n = stream.read(&mut buf).await.unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
}
