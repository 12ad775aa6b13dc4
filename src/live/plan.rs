//! What the live-update stream does next: the decisions, without a browser, so that they are
//! tested natively. Times are milliseconds on the browser's clock, passed in.

use crate::live::sse::Block;

/// The first pause after a failure; each further failure doubles it, up to [`MAX_BACKOFF_MS`].
pub const FIRST_BACKOFF_MS: u32 = 1_000;
/// Reconnecting less often than this would leave the list stale for too long once the server is back.
pub const MAX_BACKOFF_MS: u32 = 30_000;
/// A stream open at least this long was healthy: its end starts the backoff afresh.
pub const HEALTHY_MS: f64 = 10_000.0;
/// A `Retry-After` longer than this is taken as this: a wrong header must not end live updates.
pub const MAX_RETRY_AFTER_MS: u32 = 300_000;

/// How a connection ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum End {
    /// `event: expired`: the token ran out, and the server ended the stream.
    Expired,
    /// The stream ended or broke without a word (network, server restart), or never connected.
    Dropped,
    /// The server answered the request with this status instead of a stream.
    Refused {
        status: u16,
        retry_after_ms: Option<u32>,
    },
}

/// What to do after a connection ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Connect again after this pause; renew the token first when `renew`.
    Connect { after_ms: u32, renew: bool },
    /// Live updates are over: the page is gone, or the server does not offer them.
    Stop,
}

/// What a block of the stream means for the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Nothing to do (a keep-alive comment, an event this app does not know).
    Nothing,
    /// Replace the row with this Shipment (JSON).
    Shipment(String),
    /// Updates may have been missed: reload the list.
    Resync,
    /// The stream is over; reconnect with a renewed token.
    Expired,
}

/// The state of the page's one live-update stream across its connections.
#[derive(Clone, Debug, Default)]
pub struct Live {
    /// Failures in a row since the last healthy connection.
    failures: u32,
    /// When the current connection opened, if it did.
    opened_at: Option<f64>,
    /// A connection opened before: any later one may have missed updates in between.
    was_open: bool,
    stopped: bool,
}

impl Live {
    pub fn new() -> Live {
        Live::default()
    }

    /// A stream that subscribes after the page read its data (it did not get the page's first
    /// connection): its first connection may have missed updates, as any reconnection may.
    pub fn reconnecting() -> Live {
        Live {
            was_open: true,
            ..Live::default()
        }
    }

    /// The page is torn down: nothing more is connected, nothing more is applied.
    pub fn stop(&mut self) {
        self.stopped = true;
    }

    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    /// One block of the stream arrived at `now`. The first one (the server's `: open`) means the
    /// stream is subscribed; on a reconnection that asks for a resync, since updates made while
    /// no stream was open were missed.
    pub fn block(&mut self, block: Block, now: f64) -> Effect {
        if self.stopped {
            return Effect::Nothing;
        }
        let reopened = if self.opened_at.is_none() {
            self.opened_at = Some(now);
            std::mem::replace(&mut self.was_open, true)
        } else {
            false
        };
        let effect = match block {
            Block::Comment(_) => Effect::Nothing,
            Block::Event { name, data } => match name.as_str() {
                "shipment" => Effect::Shipment(data),
                "resync" => Effect::Resync,
                "expired" => Effect::Expired,
                // A newer server's event: ignoring it is safe, the list only misses a nicety.
                _ => Effect::Nothing,
            },
        };
        match effect {
            // The resync reloads the whole list, which also covers a shipment in the same block.
            Effect::Nothing | Effect::Shipment(_) if reopened => Effect::Resync,
            // An expiry first: the next connection resyncs (`was_open` stays set).
            effect => effect,
        }
    }

    /// Whether the current connection has sent its first block.
    pub fn is_open(&self) -> bool {
        self.opened_at.is_some()
    }

    /// The connection ended at `now`, as `end` says; `jitter` in [0, 1) spreads the tabs that lost
    /// the same server over the pause, so they don't all come back at once.
    pub fn ended(&mut self, end: End, now: f64, jitter: f64) -> Next {
        let opened_at = self.opened_at.take();
        if self.stopped {
            return Next::Stop;
        }
        if opened_at.is_some_and(|opened| now - opened >= HEALTHY_MS) {
            self.failures = 0;
        }
        match end {
            // A normal end: the stream lived as long as its token. Connect at once with a new one.
            End::Expired => {
                self.failures = 0;
                Next::Connect {
                    after_ms: 0,
                    renew: true,
                }
            }
            End::Dropped => self.back_off(None, false, jitter),
            // The token was refused even after the client's own renewal: renew again, later.
            End::Refused { status: 401, .. } => self.back_off(None, true, jitter),
            // Too many streams (this seller's other tabs, or the whole server): wait as told.
            End::Refused {
                status: 429 | 503,
                retry_after_ms,
            } => self.back_off(retry_after_ms, false, jitter),
            End::Refused { status, .. } if status >= 500 || status == 408 => {
                self.back_off(None, false, jitter)
            }
            // 400, 403, 404…: asking again the same way gets the same answer; this backend has
            // no live updates for this app.
            End::Refused { .. } => Next::Stop,
        }
    }

    fn back_off(&mut self, retry_after_ms: Option<u32>, renew: bool, jitter: f64) -> Next {
        let doubled = FIRST_BACKOFF_MS.saturating_mul(1u32 << self.failures.min(16));
        let backoff = doubled.min(MAX_BACKOFF_MS);
        // Half the pause is fixed, half spread: never sooner than half the backoff.
        let jitter = jitter.clamp(0.0, 1.0);
        let spread = (f64::from(backoff) * (0.5 + jitter / 2.0)) as u32;
        let told = retry_after_ms.map_or(0, |ms| ms.min(MAX_RETRY_AFTER_MS));
        self.failures = self.failures.saturating_add(1);
        Next::Connect {
            after_ms: spread.max(told),
            renew,
        }
    }
}

/// `Retry-After` in milliseconds: the server sends whole seconds. The HTTP-date form is not used by
/// this API, and is read as absent (the backoff applies).
pub fn retry_after_ms(header: Option<&str>) -> Option<u32> {
    let seconds: u32 = header?.trim().parse().ok()?;
    Some(seconds.saturating_mul(1_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open() -> Block {
        Block::Comment("open".to_owned())
    }

    fn event(name: &str, data: &str) -> Block {
        Block::Event {
            name: name.to_owned(),
            data: data.to_owned(),
        }
    }

    fn after(next: Next) -> u32 {
        match next {
            Next::Connect { after_ms, .. } => after_ms,
            Next::Stop => panic!("stopped"),
        }
    }

    #[test]
    fn events_become_effects() {
        let mut live = Live::new();
        assert_eq!(live.block(open(), 0.0), Effect::Nothing);
        assert_eq!(
            live.block(event("shipment", "{}"), 1.0),
            Effect::Shipment("{}".to_owned())
        );
        assert_eq!(live.block(event("resync", "{}"), 2.0), Effect::Resync);
        assert_eq!(
            live.block(Block::Comment(String::new()), 3.0),
            Effect::Nothing
        );
        assert_eq!(live.block(event("novelty", "{}"), 4.0), Effect::Nothing);
        assert_eq!(live.block(event("expired", "{}"), 5.0), Effect::Expired);
    }

    #[test]
    fn a_stream_without_the_pages_first_connection_resyncs_when_it_opens() {
        let mut live = Live::reconnecting();
        assert_eq!(live.block(open(), 0.0), Effect::Resync);
        assert_eq!(
            live.block(event("shipment", "{}"), 1.0),
            Effect::Shipment("{}".to_owned()),
            "only its first block"
        );
    }

    #[test]
    fn the_first_connection_needs_no_resync_but_every_reconnection_does() {
        let mut live = Live::new();
        assert_eq!(live.block(open(), 0.0), Effect::Nothing);
        assert_eq!(
            live.block(event("shipment", "{}"), 1.0),
            Effect::Shipment("{}".to_owned())
        );
        live.ended(End::Dropped, 2.0, 0.0);
        assert!(!live.is_open());
        assert_eq!(live.block(open(), 3_000.0), Effect::Resync);
        assert_eq!(
            live.block(open(), 3_001.0),
            Effect::Nothing,
            "once per connection"
        );
        live.ended(End::Expired, 4_000.0, 0.0);
        assert_eq!(
            live.block(open(), 4_100.0),
            Effect::Resync,
            "also after a renewal"
        );
        // A reconnection that expires at once still renews, and the next one resyncs.
        live.ended(End::Dropped, 5_000.0, 0.0);
        assert_eq!(live.block(event("expired", "{}"), 6_000.0), Effect::Expired);
        live.ended(End::Expired, 6_001.0, 0.0);
        assert_eq!(live.block(open(), 6_100.0), Effect::Resync);
    }

    #[test]
    fn failures_back_off_doubling_up_to_the_cap() {
        let mut live = Live::new();
        let pauses: Vec<u32> = (0..8)
            .map(|n| after(live.ended(End::Dropped, f64::from(n), 1.0)))
            .collect();
        assert_eq!(
            pauses,
            [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]
        );
        // Many more failures never overflow.
        for n in 0..100 {
            assert_eq!(after(live.ended(End::Dropped, f64::from(n), 1.0)), 30_000);
        }
    }

    #[test]
    fn jitter_spreads_the_second_half_of_the_pause() {
        let mut live = Live::new();
        assert_eq!(after(live.ended(End::Dropped, 0.0, 0.0)), 500);
        let mut live = Live::new();
        assert_eq!(after(live.ended(End::Dropped, 0.0, 0.5)), 750);
    }

    #[test]
    fn a_healthy_connection_resets_the_backoff_and_a_brief_one_does_not() {
        let mut live = Live::new();
        for n in 0..4 {
            live.ended(End::Dropped, f64::from(n), 1.0);
        }
        // Open, but dropped at once: the server is still unwell.
        live.block(open(), 100.0);
        assert_eq!(after(live.ended(End::Dropped, 200.0, 1.0)), 16_000);
        // Open for long enough: the next drop starts from the first pause.
        live.block(open(), 1_000.0);
        assert_eq!(
            after(live.ended(End::Dropped, 1_000.0 + HEALTHY_MS, 1.0)),
            1_000
        );
    }

    #[test]
    fn an_expired_token_reconnects_at_once_with_a_renewed_one() {
        let mut live = Live::new();
        live.ended(End::Dropped, 0.0, 1.0);
        live.block(open(), 10.0);
        assert_eq!(
            live.ended(End::Expired, 20.0, 1.0),
            Next::Connect {
                after_ms: 0,
                renew: true
            }
        );
        // And the expiry is no failure: the next drop starts from the first pause.
        assert_eq!(after(live.ended(End::Dropped, 30.0, 1.0)), 1_000);
    }

    #[test]
    fn a_refused_token_is_renewed_after_a_pause() {
        let mut live = Live::new();
        let refused = End::Refused {
            status: 401,
            retry_after_ms: None,
        };
        assert_eq!(
            live.ended(refused.clone(), 0.0, 1.0),
            Next::Connect {
                after_ms: 1_000,
                renew: true
            }
        );
        assert_eq!(
            live.ended(refused, 1.0, 1.0),
            Next::Connect {
                after_ms: 2_000,
                renew: true
            }
        );
    }

    #[test]
    fn too_many_streams_wait_as_long_as_the_server_says() {
        for status in [429, 503] {
            let mut live = Live::new();
            let told = |ms| End::Refused {
                status,
                retry_after_ms: Some(ms),
            };
            assert_eq!(
                live.ended(told(5_000), 0.0, 1.0),
                Next::Connect {
                    after_ms: 5_000,
                    renew: false
                }
            );
            // The backoff grows past what the server said: the longer one counts.
            for n in 0..3 {
                live.ended(told(5_000), f64::from(n), 1.0);
            }
            assert_eq!(after(live.ended(told(5_000), 9.0, 1.0)), 16_000);
            // A day's Retry-After is read as the cap, not as the end of live updates.
            assert_eq!(
                after(live.ended(told(86_400_000), 10.0, 1.0)),
                MAX_RETRY_AFTER_MS
            );
        }
    }

    #[test]
    fn server_errors_back_off_and_other_refusals_stop() {
        let refused = |status| End::Refused {
            status,
            retry_after_ms: None,
        };
        for status in [500, 502, 504, 408] {
            assert_eq!(after(Live::new().ended(refused(status), 0.0, 1.0)), 1_000);
        }
        for status in [400, 403, 404, 405] {
            assert_eq!(Live::new().ended(refused(status), 0.0, 1.0), Next::Stop);
        }
    }

    #[test]
    fn after_teardown_nothing_connects_and_nothing_applies() {
        let mut live = Live::new();
        live.block(open(), 0.0);
        live.stop();
        assert!(live.is_stopped());
        assert_eq!(live.block(event("shipment", "{}"), 1.0), Effect::Nothing);
        assert_eq!(live.block(event("resync", "{}"), 1.0), Effect::Nothing);
        assert_eq!(live.ended(End::Expired, 2.0, 1.0), Next::Stop);
        assert_eq!(live.ended(End::Dropped, 3.0, 1.0), Next::Stop);
    }

    #[test]
    fn retry_after_is_read_in_seconds() {
        assert_eq!(retry_after_ms(Some("5")), Some(5_000));
        assert_eq!(retry_after_ms(Some(" 0 ")), Some(0));
        assert_eq!(retry_after_ms(Some("Wed, 21 Oct 2026 07:28:00 GMT")), None);
        assert_eq!(retry_after_ms(Some("-3")), None);
        assert_eq!(retry_after_ms(None), None);
    }
}
