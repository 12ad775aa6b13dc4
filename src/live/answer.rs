//! The words that announce a provider's answer to a cancellation request.

use domain::Shipment;

use crate::i18n::text;

/// The words that announce a provider's answer, once the shipment no longer waits for it.
pub fn provider_answer(shipment: &Shipment) -> Option<String> {
    let cancellation = shipment.cancellation.as_ref()?;
    if cancellation.is_pending() {
        return None;
    }
    let state = text::cancellation_state(
        cancellation.state,
        shipment.delivery.provider.as_deref(),
        cancellation.initiator,
    );
    Some(text::provider_answered(
        &shipment.posting_number,
        &state,
        cancellation.provider_message.as_deref(),
    ))
}
