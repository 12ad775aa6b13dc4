//! The cancellation rules of `../shared/RULES.md` and the wire types of the API.
//!
//! This crate is the one source of the rules: the app compiles it to wasm to explain and guide, the
//! server compiles it natively to enforce. It holds no web, async or UI code, so that both sides
//! are guaranteed to agree.

pub mod api;
pub mod cancellation;
pub mod code;
pub mod comment;
pub mod delivery;
pub mod eligibility;
pub mod fixture;
pub mod history;
pub mod limits;
pub mod metric;
pub mod out_of_stock;
pub mod param;
pub mod partial;
pub mod problem;
pub mod product;
pub mod reason;
pub mod search;
pub mod shipment;
pub mod shipment_query;
pub mod split;
pub mod status;
pub mod text;
pub mod timestamp;
pub mod wire;

pub use cancellation::{Cancellation, CancellationState, Initiator};
pub use code::{Code, UnknownCode};
pub use comment::{CommentError, MAX_COMMENT_CHARS, validate_comment};
pub use delivery::{Delivery, DeliveryMethod, Destination};
pub use eligibility::{BlockedCode, Eligibility, Mode, Warning, eligibility};
pub use history::{HistoryEntry, HistoryFilter, HistoryKind, HistoryPage, HistoryQuery};
pub use metric::{CancellationRate, DEFAULT_THRESHOLD, Projection, WINDOW_DAYS};
pub use param::ParamError;
pub use problem::{Problem, ProblemCode};
pub use product::{Product, ProductLine, StockLevel};
pub use reason::Reason;
pub use search::{Lowercase, SearchText};
pub use shipment::Shipment;
pub use shipment_query::{Scope, ShipmentQuery, Sort, SortKey, SortOrder};
pub use split::{SplitError, validate_split};
pub use status::Status;
pub use text::{TextFault, check_text};
