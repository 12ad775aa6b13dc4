//! Server-Sent Events read from a byte stream, as the HTML standard's event-stream format says.
//!
//! Written here rather than taken from a crate: `eventsource-stream` needs `nom` and a `Stream` of
//! bytes (so `wasm-streams` and `futures-util` too), all of it for some sixty lines, and the first
//! load's wasm size matters. Only what `/api/v1/events` sends is kept: the event name, its data
//! and comments; `id:` and `retry:` are not used by the server and are skipped.

/// One dispatched block of the stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A comment line (`: open`, or the empty keep-alive `:`), without the colon and one space.
    Comment(String),
    /// An event: its name (`message` when none is given) and its data lines joined by `\n`.
    Event { name: String, data: String },
}

/// Turns chunks of bytes into blocks. Chunks may split a line, or a UTF-8 character, anywhere.
#[derive(Debug, Default)]
pub struct Parser {
    /// Bytes of a line not ended yet.
    pending: Vec<u8>,
    /// A `\r` ended the last chunk: a `\n` starting the next one belongs to it.
    after_cr: bool,
    name: Option<String>,
    data: Option<String>,
}

impl Parser {
    pub fn new() -> Parser {
        Parser::default()
    }

    /// Feeds the next chunk; returns the blocks it completed, in order.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut rest = chunk;
        if self.after_cr {
            self.after_cr = false;
            if let Some(after) = rest.strip_prefix(b"\n") {
                rest = after;
            }
        }
        while let Some(end) = rest
            .iter()
            .position(|byte| *byte == b'\n' || *byte == b'\r')
        {
            self.pending.extend_from_slice(&rest[..end]);
            let line = std::mem::take(&mut self.pending);
            self.line(&String::from_utf8_lossy(&line), &mut blocks);
            // `\r\n` is one line end; a `\r` at the chunk's end may still be followed by its `\n`.
            rest = match (rest[end], rest.get(end + 1)) {
                (b'\r', Some(b'\n')) => &rest[end + 2..],
                (b'\r', None) => {
                    self.after_cr = true;
                    &rest[end + 1..]
                }
                _ => &rest[end + 1..],
            };
        }
        self.pending.extend_from_slice(rest);
        blocks
    }

    fn line(&mut self, line: &str, blocks: &mut Vec<Block>) {
        if line.is_empty() {
            // A blank line dispatches the event; a block without data is none.
            let name = self.name.take();
            if let Some(data) = self.data.take() {
                blocks.push(Block::Event {
                    name: name.unwrap_or_else(|| "message".to_owned()),
                    data,
                });
            }
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "" => blocks.push(Block::Comment(value.to_owned())),
            "event" => self.name = Some(value.to_owned()),
            "data" => match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_owned()),
            },
            // `id`, `retry` and unknown fields: the server sends none of them.
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(name: &str, data: &str) -> Block {
        Block::Event {
            name: name.to_owned(),
            data: data.to_owned(),
        }
    }

    #[test]
    fn reads_what_the_server_sends() {
        let mut parser = Parser::new();
        let blocks = parser.push(
            b": open\n\nevent: shipment\ndata: {\"version\":2}\n\n:\n\nevent: expired\ndata: {}\n\n",
        );
        assert_eq!(
            blocks,
            vec![
                Block::Comment("open".to_owned()),
                event("shipment", "{\"version\":2}"),
                Block::Comment(String::new()),
                event("expired", "{}"),
            ]
        );
    }

    #[test]
    fn a_block_split_anywhere_comes_out_once_whole() {
        let text = "event: shipment\ndata: {\"city\":\"Москва\"}\n\n".as_bytes();
        for cut in 0..text.len() {
            let mut parser = Parser::new();
            let mut blocks = parser.push(&text[..cut]);
            blocks.extend(parser.push(&text[cut..]));
            assert_eq!(
                blocks,
                vec![event("shipment", "{\"city\":\"Москва\"}")],
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn every_line_end_counts_and_crlf_split_between_chunks_is_one() {
        let mut parser = Parser::new();
        let mut blocks = parser.push(b"event: resync\r\ndata: {}\r");
        blocks.extend(parser.push(b"\n\r\nevent: a\rdata: 1\r\r"));
        assert_eq!(blocks, vec![event("resync", "{}"), event("a", "1")]);
    }

    #[test]
    fn data_lines_join_and_a_block_without_data_is_no_event() {
        let mut parser = Parser::new();
        let blocks = parser.push(b"event: lonely\n\ndata:a\ndata: b\nid: 7\nretry: 10\n\n");
        assert_eq!(blocks, vec![event("message", "a\nb")]);
    }

    #[test]
    fn nothing_is_dispatched_before_the_blank_line() {
        let mut parser = Parser::new();
        assert_eq!(parser.push(b"event: shipment\ndata: {}\n"), vec![]);
        assert_eq!(parser.push(b"\n"), vec![event("shipment", "{}")]);
    }
}
