//! The cancellation history: one entry per shipment with a cancellation, sorted and exported.

use chrono::{DateTime, Utc};
use domain::{CancellationState, Initiator, Reason, Shipment};

/// The kinds the history tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Requested,
    Rejected,
    CancelledBySeller,
    CancelledByCarrier,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Requested,
        Kind::Rejected,
        Kind::CancelledBySeller,
        Kind::CancelledByCarrier,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Requested => "requested",
            Kind::Rejected => "rejected",
            Kind::CancelledBySeller => "cancelled_by_seller",
            Kind::CancelledByCarrier => "cancelled_by_carrier",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub posting_number: String,
    pub order_number: String,
    pub kind: Kind,
    pub reason: Option<Reason>,
    pub comment: Option<String>,
    pub initiator: Initiator,
    pub provider: Option<String>,
    pub provider_message: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// The history entries of these shipments, newest request first.
pub fn entries(shipments: &[Shipment]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = shipments
        .iter()
        .filter_map(|shipment| {
            let cancellation = shipment.cancellation.as_ref()?;
            let kind = match (cancellation.state, cancellation.initiator) {
                (CancellationState::Requested, _) => Kind::Requested,
                (CancellationState::Rejected, _) => Kind::Rejected,
                (CancellationState::Cancelled, Initiator::Seller) => Kind::CancelledBySeller,
                (CancellationState::Cancelled, Initiator::Carrier) => Kind::CancelledByCarrier,
            };
            Some(Entry {
                posting_number: shipment.posting_number.clone(),
                order_number: shipment.order_number.clone(),
                kind,
                reason: cancellation.reason,
                comment: cancellation.comment.clone(),
                initiator: cancellation.initiator,
                provider: shipment.delivery.provider.clone(),
                provider_message: cancellation.provider_message.clone(),
                requested_at: cancellation.requested_at,
                decided_at: cancellation.decided_at,
            })
        })
        .collect();
    entries.sort_by(|a, b| {
        b.requested_at
            .cmp(&a.requested_at)
            .then_with(|| a.posting_number.cmp(&b.posting_number))
    });
    entries
}

/// One CSV field, quoted when it holds a separator, a quote or a line break (RFC 4180). A field
/// that a spreadsheet would run as a formula is prefixed with an apostrophe.
pub fn csv_field(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// The entries as CSV with a header row, codes rather than words so that any locale can read it.
pub fn csv(entries: &[Entry]) -> String {
    let mut out = String::from(
        "posting_number,order_number,kind,reason,comment,initiator,provider,provider_message,requested_at,decided_at\r\n",
    );
    for entry in entries {
        let initiator = match entry.initiator {
            Initiator::Seller => "seller",
            Initiator::Carrier => "carrier",
        };
        let fields = [
            entry.posting_number.clone(),
            entry.order_number.clone(),
            entry.kind.code().to_owned(),
            entry
                .reason
                .map(|r| r.code().to_owned())
                .unwrap_or_default(),
            entry.comment.clone().unwrap_or_default(),
            initiator.to_owned(),
            entry.provider.clone().unwrap_or_default(),
            entry.provider_message.clone().unwrap_or_default(),
            entry.requested_at.to_rfc3339(),
            entry
                .decided_at
                .map(|at| at.to_rfc3339())
                .unwrap_or_default(),
        ];
        let line: Vec<String> = fields.iter().map(|field| csv_field(field)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use domain::{Cancellation, Status};

    use super::*;
    use crate::test_shipment;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn shipment(posting_number: &str, cancellation: Option<Cancellation>) -> Shipment {
        let mut shipment = test_shipment::shipment(posting_number);
        shipment.status = Status::Cancelled;
        shipment.products = Vec::new();
        shipment.version = 2;
        shipment.cancellation = cancellation;
        test_shipment::rejudged(shipment)
    }

    fn cancellation(state: CancellationState, initiator: Initiator, at_text: &str) -> Cancellation {
        Cancellation {
            state,
            reason: Some(Reason::Other),
            comment: Some("Said \"no\", then = 2".to_owned()),
            initiator,
            requested_at: at(at_text),
            decided_at: None,
            provider_message: None,
        }
    }

    #[test]
    fn each_kind_is_told_apart_and_the_newest_comes_first() {
        let shipments = [
            shipment(
                "a",
                Some(cancellation(
                    CancellationState::Requested,
                    Initiator::Seller,
                    "2026-11-22T08:00:00Z",
                )),
            ),
            shipment("b", None),
            shipment(
                "c",
                Some(cancellation(
                    CancellationState::Rejected,
                    Initiator::Seller,
                    "2026-11-24T08:00:00Z",
                )),
            ),
            shipment(
                "d",
                Some(cancellation(
                    CancellationState::Cancelled,
                    Initiator::Carrier,
                    "2026-11-23T08:00:00Z",
                )),
            ),
            shipment(
                "e",
                Some(cancellation(
                    CancellationState::Cancelled,
                    Initiator::Seller,
                    "2026-11-21T08:00:00Z",
                )),
            ),
        ];
        let kinds: Vec<(String, Kind)> = entries(&shipments)
            .into_iter()
            .map(|e| (e.posting_number, e.kind))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("c".to_owned(), Kind::Rejected),
                ("d".to_owned(), Kind::CancelledByCarrier),
                ("a".to_owned(), Kind::Requested),
                ("e".to_owned(), Kind::CancelledBySeller),
            ]
        );
    }

    #[test]
    fn csv_quotes_what_needs_quoting_and_defuses_formulas() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        let shipments = [shipment(
            "a",
            Some(cancellation(
                CancellationState::Cancelled,
                Initiator::Seller,
                "2026-11-21T08:00:00Z",
            )),
        )];
        let csv = csv(&entries(&shipments));
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines.len(), 3, "{csv}");
        assert_eq!(
            lines[1],
            "a,ORD-a,cancelled_by_seller,other,\"Said \"\"no\"\", then = 2\",seller,Cainiao,,2026-11-21T08:00:00+00:00,"
        );
    }

    #[test]
    fn kind_codes_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_code(kind.code()), Some(kind));
        }
    }
}
