//! The client side of `GET /api/v1/events` (SSE), for the API tests and the two-instance tests.

use reqwest::StatusCode;

/// The client side of `GET /api/v1/events`.
pub struct EventStream {
    response: reqwest::Response,
    buffer: String,
}

impl EventStream {
    /// Wraps an open stream; returns once the server has subscribed it (its first comment).
    pub async fn from_response(response: reqwest::Response) -> EventStream {
        assert_eq!(response.status(), StatusCode::OK);
        let mut stream = EventStream {
            response,
            buffer: String::new(),
        };
        let (kind, _) = stream.next_block().await;
        assert_eq!(kind, ":open", "the stream starts with its open comment");
        stream
    }

    /// The next SSE block as (event name or ":comment", data); waits at most 20 s.
    pub async fn next_block(&mut self) -> (String, String) {
        let deadline = std::time::Duration::from_secs(20);
        tokio::time::timeout(deadline, async {
            loop {
                if let Some(end) = self.buffer.find("\n\n") {
                    let block: String = self.buffer.drain(..end + 2).collect();
                    let mut event = String::new();
                    let mut data = String::new();
                    for line in block.lines() {
                        if let Some(name) = line.strip_prefix("event: ") {
                            event = name.to_owned();
                        } else if let Some(d) = line.strip_prefix("data: ") {
                            data.push_str(d);
                        } else if let Some(comment) = line.strip_prefix(':') {
                            event = format!(":{}", comment.trim());
                        }
                    }
                    return (event, data);
                }
                let chunk = self
                    .response
                    .chunk()
                    .await
                    .expect("the stream stays open")
                    .expect("more events");
                self.buffer.push_str(&String::from_utf8_lossy(&chunk));
            }
        })
        .await
        .expect("an event within 20 s")
    }

    /// The next raw chunk of the stream, `None` once the server ended it.
    pub async fn chunk(&mut self) -> Option<String> {
        if !self.buffer.is_empty() {
            return Some(std::mem::take(&mut self.buffer));
        }
        self.response
            .chunk()
            .await
            .ok()
            .flatten()
            .map(|chunk| String::from_utf8_lossy(&chunk).into_owned())
    }

    /// The next shipment update, whichever it is.
    pub async fn next_shipment(&mut self) -> domain::Shipment {
        loop {
            let (event, data) = self.next_block().await;
            if event == "shipment" {
                return serde_json::from_str(&data).expect("a shipment");
            }
        }
    }

    /// The next shipment update for `posting_number`, skipping others.
    pub async fn shipment(&mut self, posting_number: &str) -> domain::Shipment {
        loop {
            let (event, data) = self.next_block().await;
            if event == "shipment" {
                let shipment: domain::Shipment = serde_json::from_str(&data).expect("a shipment");
                if shipment.posting_number == posting_number {
                    return shipment;
                }
            }
        }
    }
}
