//! Every sentence the seller reads, in the active locale, keyed by the domain's codes.
//!
//! Components call these and stay free of words. A function without arguments reads the active
//! locale when it is called, so a view can pass the function itself (`{text::page_title}`): Leptos
//! renders a function reactively and re-runs it when the seller switches language. The words
//! live in `locales/{en,zh-CN,ru}.json`; English keeps the marketplace's own words.

use crate::td_string;
use domain::{
    BlockedCode, CancellationState, CommentError, DeliveryMethod, Initiator, ProblemCode, Reason,
    Status, Warning,
};

use super::intl::{self, Plural};
use super::{Locale, current};

/// One function per sentence without placeholders.
macro_rules! sentences {
    ($($name:ident => $($key:ident).+;)*) => {
        $(
            pub fn $name() -> &'static str {
                td_string!(current(), $($key).+)
            }
        )*
    };
}

/// Picks the catalogue's form for `count` by the locale's plural rules (`Intl.PluralRules`); each
/// form is its own key, so the compiler checks all four exist.
macro_rules! plural {
    ($count:expr, $($key:ident).+) => {{
        let locale: Locale = current();
        let count: u64 = $count as u64;
        let shown = intl::count(locale, count);
        match intl::plural(locale, count) {
            Plural::One => td_string!(locale, $($key).+.one, count = shown),
            Plural::Few => td_string!(locale, $($key).+.few, count = shown),
            Plural::Many => td_string!(locale, $($key).+.many, count = shown),
            Plural::Other => td_string!(locale, $($key).+.other, count = shown),
        }
    }};
}

sentences! {
    page_title => app.page_title;
    sections => app.sections;
    loading_app => app.starting;
    could_not_start => app.could_not_start;
    open_from_portal => app.open_from_portal;
    open_from_portal_detail => app.open_from_portal_detail;
    portal_silent => app.portal_silent;
    try_again => app.try_again;
    dismiss => app.dismiss;
    close => app.close;
    part_loading => app.part_loading;
    part_failed => app.part_failed;
    part_failed_detail => app.part_failed_detail;

    table_name => list.table_name;
    cancel_shipment => list.cancel_shipment;
    loading_shipments => list.loading;
    loading_more => list.loading_more;
    searching => list.searching;
    load_more => list.load_more;
    no_shipments => list.empty;
    no_shipments_filtered => list.empty_filtered;
    could_not_load => list.could_not_load;
    overdue => list.overdue;
    no_cancellation => list.no_cancellation;
    select_all_shown => list.select_all_shown;
    cancel_selected => list.cancel_selected;
    clear_selection => list.clear_selection;
    selecting_all => list.selecting;

    col_shipment => columns.shipment;
    col_products => columns.products;
    col_destination => columns.destination;
    col_delivery => columns.delivery;
    col_ship_by => columns.ship_by;
    col_status => columns.status;
    col_cancellation => columns.cancellation;
    col_actions => columns.actions;
    col_product => columns.product;
    col_order => columns.order;
    col_reason => columns.reason;
    col_comment => columns.comment;
    col_initiator => columns.initiator;
    col_requested => columns.requested;
    col_decided => columns.decided;
    col_state => columns.state;
    col_provider_message => columns.provider_message;

    filters_name => filters.name;
    tabs_name => filters.tabs_name;
    tab_all => filters.tab_all;
    filter_delivery => filters.delivery;
    filter_delivery_any => filters.delivery_any;
    filter_provider => filters.provider;
    filter_provider_any => filters.provider_any;
    filter_city => filters.city;
    rate_over_threshold => rate.over_threshold;
    filter_search => filters.search;
    filter_search_hint => filters.search_hint;
    filter_sort => filters.sort;
    sort_created_desc => filters.sort_created_desc;
    sort_created_asc => filters.sort_created_asc;
    sort_ship_by_asc => filters.sort_ship_by_asc;
    sort_ship_by_desc => filters.sort_ship_by_desc;
    clear_filters => filters.clear;

    network_error => problem.network;
    decode_error => problem.decode;
    no_key => problem.no_key;

    dialog_title => dialog.title;
    keep_shipment => dialog.keep_shipment;
    keep_shipments => dialog.keep_shipments;
    reason_legend => dialog.reason_legend;
    description_label => dialog.description_label;
    choose_reason => dialog.choose_reason;
    outcome_heading => dialog.outcome_heading;
    outcome_now => dialog.outcome_now;
    sending => dialog.sending;
    retry => dialog.retry;
    rate_loading => dialog.rate_loading;
    rate_unavailable => dialog.rate_unavailable;
    rate_already_included => dialog.rate_already_included;
    all_cancellations_count => dialog.all_cancellations_count;
    commercial_alternatives => dialog.commercial_alternatives;
    split_suggestion => dialog.split_suggestion;
    partner_recommendation => dialog.partner_recommendation;
    changed_heading => dialog.changed_heading;
    changed_still_cancellable => dialog.changed_still_cancellable;
    products_changed => dialog.products_changed;
    details_changed => dialog.details_changed;
    rate_crosses => dialog.rate_crosses;
    rate_above => dialog.rate_above;

    bulk_title => bulk.title;
    bulk_nothing_to_cancel => bulk.nothing_to_cancel;
    bulk_progress_name => bulk.progress_name;
    bulk_results => bulk.results;
    retry_failed => bulk.retry_failed;
    sweep_keep => follow_up.sweep_keep;
    sweep_counts_note => follow_up.sweep_counts_note;
    sweep_results => follow_up.sweep_results;
    outcome_reduced => follow_up.outcome_reduced;
    outcome_cancelled => bulk.outcome_cancelled;
    close_results => bulk.done;

    next_steps => follow_up.next_steps;
    save_quantity => follow_up.save_quantity;
    saving => follow_up.saving;
    quantity_invalid => problem.invalid_quantity;
    archive_confirm_yes => follow_up.archive_yes;
    archive_confirm_no => follow_up.archive_no;
    looking_up => follow_up.looking_up;

    split_title => split.title;
    split_open => split.open;
    split_intro => split.intro;
    add_parcel => split.add_parcel;
    remove_parcel => split.remove_parcel;
    split_confirm => split.confirm;
    splitting => split.splitting;

    partial_open => partial.open;
    partial_title => partial.title;
    partial_intro => partial.intro;
    partial_products_legend => partial.products_legend;
    partial_nothing_chosen => partial.nothing_chosen;
    partial_every_unit => partial.every_unit;
    partial_to_whole => partial.to_whole;
    partial_became_whole => partial.became_whole;
    partial_confirm => partial.confirm;
    partial_remains_heading => partial.remains_heading;
    partial_remains_pending => partial.remains_pending;
    partial_outcome_now => partial.outcome_now;
    partial_already_counted => partial.already_counted;
    partial_changed_check => partial.changed_check;

    history_title => history.title;
    history_table => history.table_name;
    loading_history => history.loading;
    could_not_load_history => history.could_not_load;
    no_history => history.empty;
    export_csv => history.export_csv;
    could_not_export => history.could_not_export;
    kind_all => history.kind_all;
    kinds_name => history.kinds_name;
    history_filters => history.filters_name;
    any_reason => history.any_reason;
    anyone => history.anyone;
    date_from => history.from;
    date_to => history.to;
    history_clear_filters => history.clear_filters;
    show_newer => history.show_newer;
    load_more_history => history.load_more;
    loading_more_history => history.loading_more;
    exporting => history.exporting;
}

/// "the delivery provider" where the shipment names none.
fn provider_or_default(provider: Option<&str>) -> String {
    match provider {
        Some(provider) => provider.to_owned(),
        None => td_string!(current(), cancellation.the_provider).to_owned(),
    }
}

pub fn order_number(number: &str) -> String {
    td_string!(current(), list.order, number)
}

pub fn shown_of_total(shown: usize, total: u64) -> String {
    let locale = current();
    let shown = intl::count(locale, shown as u64);
    let total = intl::count(locale, total);
    td_string!(locale, list.shown_of_total, shown, total)
}

pub fn select_shipment(posting: &str) -> String {
    td_string!(current(), list.select_shipment, posting)
}

/// The marketplace's status names.
pub fn status(status: Status) -> &'static str {
    let locale = current();
    match status {
        Status::AwaitingPackaging => td_string!(locale, status.awaiting_packaging),
        Status::AwaitingShipment => td_string!(locale, status.awaiting_shipment),
        Status::ReadyForShipment => td_string!(locale, status.ready_for_shipment),
        Status::InTransit => td_string!(locale, status.in_transit),
        Status::Delivered => td_string!(locale, status.delivered),
        Status::Cancelled => td_string!(locale, status.cancelled),
    }
}

/// The marketplace's reason labels (in Chinese, the titles of its Seller API).
pub fn reason(reason: Reason) -> &'static str {
    let locale = current();
    match reason {
        Reason::OutOfStock => td_string!(locale, reason.out_of_stock),
        Reason::CustomerRequest => td_string!(locale, reason.customer_request),
        Reason::LostByCarrier => td_string!(locale, reason.lost_by_carrier),
        Reason::UndeliverableAddress => td_string!(locale, reason.undeliverable_address),
        Reason::Other => td_string!(locale, reason.other),
    }
}

/// The delivery column: the method, and the provider where it adds something.
pub fn delivery(method: DeliveryMethod, provider: Option<&str>) -> String {
    let method_words = delivery_method(method);
    match provider {
        Some(provider) if provider != method_words => {
            td_string!(
                current(),
                list.delivery_with_provider,
                method = method_words,
                provider
            )
        }
        _ => method_words.to_owned(),
    }
}

pub fn delivery_method(method: DeliveryMethod) -> &'static str {
    let locale = current();
    match method {
        DeliveryMethod::Partner => td_string!(locale, delivery_method.partner),
        DeliveryMethod::ChinaPost => td_string!(locale, delivery_method.china_post),
        DeliveryMethod::Seller => td_string!(locale, delivery_method.seller),
    }
}

/// Why the button is disabled, as a sentence.
pub fn blocked(code: BlockedCode) -> &'static str {
    let locale = current();
    match code {
        BlockedCode::AlreadyCancelled => td_string!(locale, blocked.already_cancelled),
        BlockedCode::Delivered => td_string!(locale, blocked.delivered),
        BlockedCode::CancellationPending => td_string!(locale, blocked.cancellation_pending),
        BlockedCode::ChinaPostInTransit => td_string!(locale, blocked.china_post_in_transit),
        BlockedCode::InTransitNotPartner => td_string!(locale, blocked.in_transit_not_partner),
    }
}

/// What the seller can do instead, for each reason the button is disabled.
pub fn blocked_advice(code: BlockedCode) -> &'static str {
    let locale = current();
    match code {
        BlockedCode::AlreadyCancelled => td_string!(locale, advice.already_cancelled),
        BlockedCode::Delivered => td_string!(locale, advice.delivered),
        BlockedCode::CancellationPending => td_string!(locale, advice.cancellation_pending),
        BlockedCode::ChinaPostInTransit => td_string!(locale, advice.china_post_in_transit),
        BlockedCode::InTransitNotPartner => td_string!(locale, advice.in_transit_not_partner),
    }
}

pub fn warning(warning: Warning) -> &'static str {
    match warning {
        Warning::CommercialShipment => td_string!(current(), warning.commercial_shipment),
    }
}

pub fn cancellation_state(
    state: CancellationState,
    provider: Option<&str>,
    initiator: Initiator,
) -> String {
    let locale = current();
    let provider = provider_or_default(provider);
    match (state, initiator) {
        (CancellationState::Requested, _) => {
            td_string!(locale, cancellation.requested_from, provider)
        }
        (CancellationState::Rejected, _) => td_string!(locale, cancellation.rejected_by, provider),
        (CancellationState::Cancelled, Initiator::Seller) => {
            td_string!(locale, cancellation.cancelled_by_you).to_owned()
        }
        (CancellationState::Cancelled, Initiator::Carrier) => {
            td_string!(locale, cancellation.cancelled_by, provider)
        }
    }
}

pub fn reason_line(reason: Reason) -> String {
    td_string!(current(), list.reason_line, reason = self::reason(reason))
}

pub fn comment_error(error: CommentError) -> &'static str {
    let locale = current();
    match error {
        CommentError::CommentRequired => td_string!(locale, comment_error.required),
        CommentError::CommentTooLong => td_string!(locale, comment_error.too_long),
        CommentError::CommentControlCharacters => {
            td_string!(locale, comment_error.control_characters)
        }
        CommentError::CommentInvisibleCharacters => {
            td_string!(locale, comment_error.invisible_characters)
        }
    }
}

/// The server's refusals, in words.
pub fn problem(code: ProblemCode) -> &'static str {
    let locale = current();
    match code {
        ProblemCode::MalformedRequest => td_string!(locale, problem.malformed_request),
        ProblemCode::PayloadTooLarge => td_string!(locale, problem.payload_too_large),
        ProblemCode::Unauthorized => td_string!(locale, problem.unauthorized),
        ProblemCode::NotFound => td_string!(locale, problem.not_found),
        ProblemCode::MethodNotAllowed => td_string!(locale, problem.method_not_allowed),
        ProblemCode::IdempotencyKeyRequired | ProblemCode::IdempotencyKeyReused => {
            td_string!(locale, problem.idempotency)
        }
        ProblemCode::RequestInFlight => td_string!(locale, problem.request_in_flight),
        ProblemCode::PreconditionRequired | ProblemCode::VersionMismatch => {
            td_string!(locale, problem.version_mismatch)
        }
        ProblemCode::Internal => td_string!(locale, problem.internal),
        ProblemCode::InvalidVersions => td_string!(locale, problem.invalid_versions),
        ProblemCode::Overloaded => td_string!(locale, problem.overloaded),
        ProblemCode::TooManyRequests => td_string!(locale, problem.too_many_requests),
        ProblemCode::AlreadyCancelled => blocked(BlockedCode::AlreadyCancelled),
        ProblemCode::Delivered => blocked(BlockedCode::Delivered),
        ProblemCode::CancellationPending => blocked(BlockedCode::CancellationPending),
        ProblemCode::ChinaPostInTransit => blocked(BlockedCode::ChinaPostInTransit),
        ProblemCode::InTransitNotPartner => blocked(BlockedCode::InTransitNotPartner),
        ProblemCode::ReasonNotOffered => td_string!(locale, problem.reason_not_offered),
        ProblemCode::CommentRequired => comment_error(CommentError::CommentRequired),
        ProblemCode::CommentTooLong => comment_error(CommentError::CommentTooLong),
        ProblemCode::CommentControlCharacters => {
            comment_error(CommentError::CommentControlCharacters)
        }
        ProblemCode::CommentInvisibleCharacters => {
            comment_error(CommentError::CommentInvisibleCharacters)
        }
        ProblemCode::TextControlCharacters => td_string!(locale, problem.text_control_characters),
        ProblemCode::TextInvisibleCharacters => {
            td_string!(locale, problem.text_invisible_characters)
        }
        ProblemCode::StatusChangeNotAllowed => {
            td_string!(locale, problem.status_change_not_allowed)
        }
        ProblemCode::SplitNotOffered => td_string!(locale, problem.split_not_offered),
        ProblemCode::InvalidSplit => td_string!(locale, problem.invalid_split),
        ProblemCode::PartialNotOffered => td_string!(locale, problem.partial_not_offered),
        ProblemCode::InvalidItems => td_string!(locale, problem.invalid_items),
        ProblemCode::WholeShipment => td_string!(locale, problem.whole_shipment),
        ProblemCode::InvalidQuantity => td_string!(locale, problem.invalid_quantity),
        ProblemCode::ProductArchived => td_string!(locale, problem.product_archived),
    }
}

pub fn http_status(status: u16) -> String {
    td_string!(current(), problem.http_status, status)
}

pub fn outcome_request(provider: Option<&str>) -> String {
    td_string!(
        current(),
        dialog.outcome_request,
        provider = provider_or_default(provider)
    )
}

pub fn use_customer_reason() -> String {
    td_string!(
        current(),
        dialog.use_customer_reason,
        reason = reason(Reason::CustomerRequest)
    )
}

/// A product named with its SKU, as the stock notice lists it.
pub fn product_with_sku(name: &str, sku: &str) -> String {
    td_string!(current(), dialog.product_sku, name, sku)
}

pub fn stock_reset(products: &str, warehouse: &str) -> String {
    td_string!(current(), dialog.stock_reset, products, warehouse)
}

pub fn rate_preview(current_rate: &str, projected: &str, threshold: &str) -> String {
    // The placeholder is named `current`, which shadows the function inside the macro.
    let locale = current();
    td_string!(
        locale,
        dialog.rate_preview,
        current = current_rate,
        projected,
        threshold
    )
}

pub fn description_counter(length: usize) -> String {
    let locale = current();
    td_string!(
        locale,
        dialog.counter,
        length = intl::count(locale, length as u64),
        max = intl::count(locale, domain::MAX_COMMENT_CHARS as u64)
    )
}

pub fn status_changed(status: Status) -> String {
    td_string!(
        current(),
        dialog.status_changed,
        status = self::status(status)
    )
}

pub fn delivery_changed(shipment: &domain::Shipment) -> String {
    let locale = current();
    let method = delivery_method(shipment.delivery.method);
    match &shipment.delivery.provider {
        Some(provider) => td_string!(locale, dialog.delivery_changed_provider, method, provider),
        None => td_string!(locale, dialog.delivery_changed, method),
    }
}

pub fn cancelled_confirmation(posting: &str) -> String {
    td_string!(current(), dialog.cancelled_confirmation, posting)
}

pub fn requested_confirmation(posting: &str, provider: Option<&str>) -> String {
    td_string!(
        current(),
        dialog.requested_confirmation,
        posting,
        provider = provider_or_default(provider)
    )
}

pub fn retrying(seconds: u64) -> String {
    td_string!(current(), problem.retrying, seconds)
}

pub fn selected_count(count: usize) -> String {
    plural!(count, bulk.selected)
}

pub fn select_all_matching(total: u64) -> String {
    let locale = current();
    td_string!(
        locale,
        list.select_all_matching,
        total = intl::count(locale, total)
    )
}

pub fn bulk_will_cancel(count: usize) -> String {
    plural!(count, bulk.will_cancel)
}

pub fn bulk_will_skip(count: usize) -> String {
    plural!(count, bulk.will_skip)
}

pub fn bulk_confirm(count: usize) -> String {
    plural!(count, bulk.confirm)
}

/// "5 shipments", "5 отправлений": the noun with its number.
pub fn shipments(count: usize) -> String {
    plural!(count, bulk.shipments)
}

pub fn bulk_progress(done: usize, total: usize) -> String {
    td_string!(current(), bulk.progress, done, total)
}

pub fn outcome_requested(provider: Option<&str>) -> String {
    td_string!(
        current(),
        bulk.outcome_requested,
        provider = provider_or_default(provider)
    )
}

pub fn outcome_skipped(why: &str) -> String {
    td_string!(current(), bulk.outcome_skipped, why)
}

pub fn outcome_failed(why: &str) -> String {
    td_string!(current(), bulk.outcome_failed, why)
}

pub fn bulk_summary(cancelled: usize, requested: usize, skipped: usize, failed: usize) -> String {
    td_string!(
        current(),
        bulk.summary,
        cancelled,
        requested,
        skipped,
        failed
    )
}

/// A rule violation found before sending, in words.
pub fn rule_violation(violation: domain::eligibility::RuleViolation) -> &'static str {
    match violation {
        domain::eligibility::RuleViolation::Blocked(code) => blocked(code),
        domain::eligibility::RuleViolation::ReasonNotOffered => {
            problem(ProblemCode::ReasonNotOffered)
        }
    }
}

pub fn new_quantity_label(product: &str, warehouse: &str) -> String {
    td_string!(current(), follow_up.new_quantity_label, product, warehouse)
}

pub fn quantity_saved(product: &str, quantity: u32) -> String {
    td_string!(current(), follow_up.quantity_saved, product, quantity)
}

pub fn archive_product(product: &str) -> String {
    td_string!(current(), follow_up.archive_product, product)
}

pub fn archive_question(product: &str) -> String {
    td_string!(current(), follow_up.archive_question, product)
}

pub fn archived(product: &str) -> String {
    td_string!(current(), follow_up.archived, product)
}

pub fn exclude_city(city: &str, country: &str) -> String {
    td_string!(current(), follow_up.exclude_city, city, country)
}

pub fn city_excluded(city: &str) -> String {
    td_string!(current(), follow_up.city_excluded, city)
}

pub fn cancel_others_to(city: &str) -> String {
    td_string!(current(), follow_up.cancel_others_to, city)
}

pub fn none_other_to(city: &str) -> String {
    td_string!(current(), follow_up.none_other_to, city)
}

/// A product known by its SKU only (its last line left the shipment), in words: the one
/// spelling the row's cancelled line and the follow-ups share.
pub fn sku_product(sku: &str) -> String {
    td_string!(current(), partial.sku_only, sku)
}

pub fn sweep_heading(product: &str) -> String {
    td_string!(current(), follow_up.sweep_heading, product)
}

pub fn sweep_none(product: &str, warehouse: &str) -> String {
    td_string!(current(), follow_up.sweep_none, product, warehouse)
}

pub fn sweep_found(product: &str, warehouse: &str, count: usize) -> String {
    td_string!(
        current(),
        follow_up.sweep_found,
        product,
        warehouse,
        shipments = shipments(count)
    )
}

pub fn sweep_open(product: &str) -> String {
    td_string!(current(), follow_up.sweep_open, product)
}

pub fn sweep_partial(count: usize) -> String {
    plural!(count, follow_up.sweep_partial)
}

pub fn sweep_whole(count: usize) -> String {
    plural!(count, follow_up.sweep_whole)
}

pub fn sweep_skipped(count: usize, why: &str) -> String {
    td_string!(
        current(),
        follow_up.sweep_skipped,
        shipments = shipments(count),
        why
    )
}

pub fn sweep_confirm(count: usize) -> String {
    plural!(count, follow_up.sweep_confirm)
}

pub fn sweep_summary(reduced: usize, cancelled: usize, skipped: usize, failed: usize) -> String {
    td_string!(
        current(),
        follow_up.sweep_summary,
        reduced,
        cancelled,
        skipped,
        failed
    )
}

pub fn parcel_heading(number: usize) -> String {
    td_string!(current(), split.parcel_heading, number)
}

pub fn parcel_cell_label(product: &str, parcel: usize) -> String {
    td_string!(current(), split.parcel_cell_label, product, parcel)
}

pub fn split_done(count: usize) -> String {
    plural!(count, split.done)
}

pub fn split_error(error: &domain::SplitError) -> String {
    use domain::SplitError;
    let locale = current();
    match error {
        SplitError::SplitNotOffered => problem(ProblemCode::SplitNotOffered).to_owned(),
        SplitError::TooFewParcels => td_string!(locale, split.too_few_parcels).to_owned(),
        SplitError::EmptyParcel { parcel } => td_string!(locale, split.empty_parcel, parcel),
        SplitError::ZeroQuantity { parcel } => td_string!(locale, split.zero_quantity, parcel),
        SplitError::TooManyIdentical { parcel, units, .. } => {
            td_string!(locale, split.too_many_identical, parcel, units)
        }
        SplitError::UnknownSku { sku } => td_string!(locale, split.unknown_sku, sku),
        SplitError::QuantityMismatch {
            sku,
            expected,
            planned,
        } => td_string!(locale, split.quantity_mismatch, sku, expected, planned),
    }
}

/// "1,234 cancellations".
pub fn history_total(count: u64) -> String {
    plural!(count, history.total)
}

/// "Cancellations 51–350 of 1,234".
pub fn history_window(first: usize, last: usize, total: u64) -> String {
    let locale = current();
    let first = intl::count(locale, first as u64);
    let last = intl::count(locale, last as u64);
    let total = intl::count(locale, total);
    td_string!(locale, history.window, first, last, total)
}

pub fn history_kind(kind: domain::HistoryKind) -> &'static str {
    use domain::HistoryKind as Kind;
    let locale = current();
    match kind {
        Kind::Requested => td_string!(locale, history.kind_requested),
        Kind::Rejected => td_string!(locale, history.kind_rejected),
        Kind::CancelledBySeller => td_string!(locale, history.kind_cancelled_by_seller),
        Kind::CancelledByCarrier => td_string!(locale, history.kind_cancelled_by_carrier),
        Kind::PartiallyCancelled => td_string!(locale, history.kind_partially_cancelled),
    }
}

/// The label of a history entry's list of cancelled products.
pub fn history_cancelled_items() -> &'static str {
    td_string!(current(), history.cancelled_items)
}

/// One cancelled product of a history entry: its SKU (a code, as on the shipment) and units.
pub fn history_item(sku: &str, quantity: u32) -> String {
    format!("{sku} × {}", intl::count(current(), u64::from(quantity)))
}

pub fn initiator(initiator: Initiator) -> &'static str {
    let locale = current();
    match initiator {
        Initiator::Seller => td_string!(locale, history.initiator_seller),
        Initiator::Carrier => td_string!(locale, history.initiator_carrier),
    }
}

pub fn rate_summary(rate: &str, threshold: &str, days: u32) -> String {
    td_string!(current(), rate.summary, rate, threshold, days)
}

pub fn rate_day(date: &str, cancellations: u32, shipments: u32) -> String {
    td_string!(current(), rate.day, date, cancellations, shipments)
}

/// Spoken when a provider answers a cancellation request: the row's new state and, on a rejection,
/// the provider's words.
pub fn provider_answered(posting_number: &str, state: &str, message: Option<&str>) -> String {
    match message {
        Some(message) => td_string!(
            current(),
            announce.provider_answered_with_message,
            posting_number,
            state,
            message
        ),
        None => td_string!(current(), announce.provider_answered, posting_number, state),
    }
}

/// Like `plural!`, with the other placeholders of the sentence: each form is its own key.
macro_rules! plural_with {
    ($count:expr, $($key:ident).+, $($arg:ident = $value:expr),+) => {{
        let locale: Locale = current();
        let count: u64 = $count as u64;
        let shown = intl::count(locale, count);
        match intl::plural(locale, count) {
            Plural::One => td_string!(locale, $($key).+.one, count = shown, $($arg = $value),+),
            Plural::Few => td_string!(locale, $($key).+.few, count = shown, $($arg = $value),+),
            Plural::Many => td_string!(locale, $($key).+.many, count = shown, $($arg = $value),+),
            Plural::Other => td_string!(locale, $($key).+.other, count = shown, $($arg = $value),+),
        }
    }};
}

/// The accessible name of a product's stepper.
pub fn partial_units_label(product: &str) -> String {
    td_string!(current(), partial.units_label, product)
}

pub fn partial_fewer(product: &str) -> String {
    td_string!(current(), partial.fewer, product)
}

pub fn partial_more(product: &str) -> String {
    td_string!(current(), partial.more, product)
}

/// "of 2 units", beside a stepper.
pub fn partial_held(units: u32) -> String {
    plural!(units, partial.held)
}

/// Spoken when a stepper's − or + changes it: "Phone case: 1 unit of 2 to cancel".
pub fn partial_units_chosen(product: &str, units: u32, max: u32) -> String {
    let max = intl::count(current(), u64::from(max));
    plural_with!(units, partial.units_chosen, product = product, max = max)
}

/// What is wrong with one stepper, next to it.
pub fn partial_stepper_error(error: &crate::partial::flow::StepperError) -> String {
    use crate::partial::flow::StepperError;
    use domain::partial::ItemsError;
    match error {
        StepperError::Unreadable { max } => td_string!(current(), partial.unreadable, max),
        StepperError::Items(ItemsError::MoreThanHeld { held, .. }) => {
            plural!(*held, partial.more_than_held)
        }
        StepperError::Items(_) => problem(ProblemCode::InvalidItems).to_owned(),
    }
}

pub fn partial_warning_after(after: crate::partial::flow::WarningAfter) -> String {
    use crate::partial::flow::WarningAfter;
    match after {
        WarningAfter::Clears(w) => {
            td_string!(current(), partial.warning_clears, warning = warning(w))
        }
        WarningAfter::Stays(w) => {
            td_string!(current(), partial.warning_stays, warning = warning(w))
        }
    }
}

/// "1 unit cancelled from shipment 87654321-0024-1."
pub fn partial_done(posting: &str, units: u32) -> String {
    plural_with!(units, partial.done, posting = posting)
}

/// "Cancelled: Phone case × 1, SKU 1003 × 2": what partial cancellations took out, per product
/// (sku, name while the shipment still names it, units).
pub fn partial_cancelled_line(summary: &[(String, Option<String>, u32)]) -> String {
    let locale = current();
    let items = summary
        .iter()
        .map(|(sku, name, units)| {
            let name = match name {
                Some(name) => name.clone(),
                None => sku_product(sku),
            };
            format!("{name} × {}", intl::count(locale, u64::from(*units)))
        })
        .collect::<Vec<_>>()
        .join(", ");
    td_string!(locale, partial.cancelled_line, items)
}
