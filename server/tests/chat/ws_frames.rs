//! A socket frame past the read cap: the documented error frame, then a close with
//! 1009 (message too big), never a silent drop.

use crate::common;

use common::TestServer;
use futures_util::{SinkExt, StreamExt};
use socmel_client::types::{ErrorCode, frames::ServerFrame};
use tokio_tungstenite::tungstenite::{Message, protocol::frame::coding::CloseCode};

#[tokio::test]
async fn a_one_mebibyte_frame_gets_an_error_frame_and_a_close_1009() {
    let server = TestServer::start().await;
    let ada = server.user("ada").await;
    let url = format!(
        "{}/messages/ws?token={}",
        server.url.replacen("http://", "ws://", 1),
        ada.tokens.access_token
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let huge = format!(r#"{{"receiver_id":1,"message":"{}"}}"#, "x".repeat(1 << 20));
    socket.send(Message::Text(huge.into())).await.unwrap();
    let mut error = None;
    let mut close = None;
    let reading = async {
        while let Some(Ok(message)) = socket.next().await {
            match message {
                Message::Text(text) => {
                    if let Ok(envelope) =
                        serde_json::from_str::<socmel_client::types::frames::Envelope>(&text)
                        && let ServerFrame::Error(frame) = envelope.frame
                    {
                        error = Some(frame);
                    }
                }
                Message::Close(frame) => {
                    close = frame;
                    break;
                }
                _ => {}
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), reading)
        .await
        .expect("the server answers and closes");
    let error = error.expect("an error frame");
    assert_eq!(error.code, ErrorCode::PayloadTooLarge);
    assert_eq!(close.expect("a close frame").code, CloseCode::Size);
}
