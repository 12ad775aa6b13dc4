//! Shipment changes carried between instances by PostgreSQL's `NOTIFY` (docs/postgres.md §4.5).
//!
//! A notification names what changed, not how: the seller and the posting numbers. PostgreSQL
//! limits a payload to 8,000 bytes, which rules out the shipment's JSON, and a listener that reads
//! the shipment after hearing of it always sends the newest state. Notifications are delivered to
//! every listener at commit, in commit order, and never for a rolled-back transaction. A listener
//! that lost its connection missed whatever was sent meanwhile: it reports a gap, which the
//! streams turn into their `resync` event, exactly like a lagging local channel.

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use sqlx::{Executor, PgPool};
use tokio::sync::mpsc;

/// The channel every instance listens on.
pub const CHANNEL: &str = "shipment_changed";
/// A provider request was scheduled: the leading instance looks for the next due one. Every
/// instance listens; only the leader's simulation is waiting for it.
pub const WAKE_CHANNEL: &str = "provider_wake";
/// Separates the seller and the posting numbers in a payload (ASCII unit separator; neither a
/// seller id nor a posting number may contain control characters).
const SEPARATOR: char = '\u{1f}';
/// PostgreSQL refuses payloads of 8,000 bytes or more; a long list is split below that.
pub const MAX_PAYLOAD_BYTES: usize = 7_900;
/// Notices waiting to be read back into shipments; past it the listener reports a gap rather than
/// stall, since a listener that stops reading fills the server's notification queue for everyone.
const HAND_OFF: usize = 1_024;
/// The listener's connection shows this name in `pg_stat_activity`.
pub const APPLICATION_NAME: &str = "shipment-events";

/// What changed: some of one seller's shipments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub seller_id: String,
    pub posting_numbers: Vec<String>,
}

/// What a listener hears.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Heard {
    Notice(Notice),
    /// Notifications may have been missed (a lost connection, a full hand-off queue).
    Gap,
    /// A provider request was scheduled somewhere.
    Wake,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NoticeError {
    #[error("a notification names no seller")]
    NoSeller,
    #[error("{0:?} contains a control character and cannot be sent in a notification")]
    ControlCharacter(String),
    #[error("the posting number {0:?} alone is longer than a notification may be")]
    TooLong(String),
}

impl Notice {
    /// The payloads that carry this notice, each under `MAX_PAYLOAD_BYTES`.
    pub fn payloads(&self) -> Result<Vec<String>, NoticeError> {
        if self.seller_id.is_empty() {
            return Err(NoticeError::NoSeller);
        }
        for text in std::iter::once(&self.seller_id).chain(&self.posting_numbers) {
            if text.chars().any(char::is_control) {
                return Err(NoticeError::ControlCharacter(text.clone()));
            }
        }
        let mut payloads = Vec::new();
        let mut current = self.seller_id.clone();
        let mut numbers_in_current = 0;
        for number in &self.posting_numbers {
            if current.len() + 1 + number.len() > MAX_PAYLOAD_BYTES {
                if numbers_in_current == 0 {
                    return Err(NoticeError::TooLong(number.clone()));
                }
                payloads.push(std::mem::replace(&mut current, self.seller_id.clone()));
                numbers_in_current = 0;
                if current.len() + 1 + number.len() > MAX_PAYLOAD_BYTES {
                    return Err(NoticeError::TooLong(number.clone()));
                }
            }
            current.push(SEPARATOR);
            current.push_str(number);
            numbers_in_current += 1;
        }
        if numbers_in_current > 0 {
            payloads.push(current);
        }
        Ok(payloads)
    }

    /// Reads a payload that `payloads` made; None for one that names no seller (not ours).
    pub fn parse(payload: &str) -> Option<Notice> {
        let mut parts = payload.split(SEPARATOR);
        let seller_id = parts.next().filter(|s| !s.is_empty())?.to_owned();
        Some(Notice {
            seller_id,
            posting_numbers: parts.map(str::to_owned).collect(),
        })
    }
}

/// Sends a notice to every listening instance (this one included). The payloads go in one
/// transaction, so a split notice arrives whole or not at all.
pub async fn send(pool: &PgPool, notice: &Notice) -> Result<(), SendError> {
    let payloads = notice.payloads()?;
    if payloads.is_empty() {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    for payload in payloads {
        tx.execute(
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(payload),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Sends a notice from inside the transaction that made the change (PostgreSQL, through the store's
/// `Any` connection): PostgreSQL delivers it at that transaction's commit, in commit order, and
/// never if it rolls back, so a change and its notice cannot part even if the instance dies
/// between the commit and the answer. This is the write path's way; `send` is for a change
/// already committed.
pub async fn send_in(conn: &mut sqlx::AnyConnection, notice: &Notice) -> Result<(), SendError> {
    for payload in notice.payloads()? {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(payload)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Wakes the leading instance's provider simulation (whichever instance that is).
pub async fn wake(pool: &PgPool) -> Result<(), sqlx::Error> {
    pool.execute(sqlx::query("SELECT pg_notify($1, '')").bind(WAKE_CHANNEL))
        .await
        .map(drop)
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error(transparent)]
    Notice(#[from] NoticeError),
    #[error("the notification could not be sent: {0}")]
    Database(#[from] sqlx::Error),
}

/// Starts listening at `url`; the receiver hears every notice and every gap from now on. The first
/// connection is made before this returns, so a wrong URL fails here and not in the background.
/// The listening task ends when the receiver is dropped.
pub async fn listen(url: &str) -> Result<mpsc::Receiver<Heard>, sqlx::Error> {
    let options = PgConnectOptions::from_str(url)?.application_name(APPLICATION_NAME);
    // A pool of one, as `PgListener::connect` makes: it reconnects through it.
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .max_lifetime(None)
        .idle_timeout(None)
        .connect_with(options)
        .await?;
    let mut listener = PgListener::connect_with(&pool).await?;
    listener.listen_all([CHANNEL, WAKE_CHANNEL]).await?;
    let (sender, receiver) = mpsc::channel(HAND_OFF);
    tokio::spawn(receive(listener, sender));
    Ok(receiver)
}

async fn receive(mut listener: PgListener, sender: mpsc::Sender<Heard>) {
    // A gap not yet reported: reported before the next notice, once the listener hears again
    // (so a client that resyncs on it cannot miss what follows) and the queue has room.
    let mut gap = false;
    let mut failures: u32 = 0;
    loop {
        let heard = tokio::select! {
            () = sender.closed() => return,
            heard = listener.try_recv() => heard,
        };
        let notice = match heard {
            Ok(Some(notification)) if notification.channel() == WAKE_CHANNEL => {
                failures = 0;
                Some(Heard::Wake)
            }
            Ok(Some(notification)) => {
                failures = 0;
                Notice::parse(notification.payload()).map(Heard::Notice)
            }
            // The connection was lost and is back (eager reconnect): whatever was sent meanwhile
            // is gone.
            Ok(None) => {
                failures = 0;
                tracing::warn!("the shipment listener lost its connection; streams resync");
                gap = true;
                None
            }
            Err(error) => {
                // A terminated backend reports its error first; the next try reconnects. Wait a
                // little more after each failure in a row so a database that is down is not
                // hammered.
                tracing::warn!(%error, "the shipment listener failed; reconnecting");
                gap = true;
                failures = failures.saturating_add(1);
                let pause = std::time::Duration::from_millis(100 * u64::from(failures.min(20)));
                tokio::select! {
                    () = sender.closed() => return,
                    () = tokio::time::sleep(pause) => {}
                }
                continue;
            }
        };
        if gap {
            match sender.try_send(Heard::Gap) {
                Ok(()) => gap = false,
                Err(mpsc::error::TrySendError::Closed(_)) => return,
                // Still full: the notice below is dropped too, and the gap stays pending.
                Err(mpsc::error::TrySendError::Full(_)) => continue,
            }
        }
        let Some(heard) = notice else { continue };
        match sender.try_send(heard) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Closed(_)) => return,
            Err(mpsc::error::TrySendError::Full(_)) => gap = true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(numbers: &[&str]) -> Notice {
        Notice {
            seller_id: "s-1001".into(),
            posting_numbers: numbers.iter().map(|n| (*n).to_owned()).collect(),
        }
    }

    #[test]
    fn a_payload_reads_back_as_its_notice() {
        let sent = notice(&["87654321-0001-1", "87654321-0002-1"]);
        let payloads = sent.payloads().expect("payloads");
        assert_eq!(payloads.len(), 1);
        assert_eq!(Notice::parse(&payloads[0]), Some(sent));
    }

    #[test]
    fn a_long_list_is_split_under_the_limit_and_keeps_every_number() {
        let numbers: Vec<String> = (0..2_000).map(|n| format!("87654321-{n:04}-1")).collect();
        let sent = Notice {
            seller_id: "s-1001".into(),
            posting_numbers: numbers.clone(),
        };
        let payloads = sent.payloads().expect("payloads");
        assert!(
            payloads.len() > 1,
            "2,000 numbers do not fit in one payload"
        );
        let mut heard = Vec::new();
        for payload in &payloads {
            assert!(payload.len() < 8_000, "{} bytes", payload.len());
            let part = Notice::parse(payload).expect("a notice");
            assert_eq!(part.seller_id, "s-1001");
            heard.extend(part.posting_numbers);
        }
        assert_eq!(heard, numbers);
    }

    #[test]
    fn nothing_changed_sends_nothing_and_bad_names_are_refused() {
        assert_eq!(notice(&[]).payloads(), Ok(Vec::new()));
        assert_eq!(
            notice(&["a\u{1f}b"]).payloads(),
            Err(NoticeError::ControlCharacter("a\u{1f}b".into()))
        );
        let huge = "x".repeat(MAX_PAYLOAD_BYTES);
        assert_eq!(
            notice(&[&huge]).payloads(),
            Err(NoticeError::TooLong(huge.clone()))
        );
        assert_eq!(Notice::parse(""), None);
    }
}
