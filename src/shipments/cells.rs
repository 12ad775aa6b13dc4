//! A shipment's row written as HTML text and set in one go: its cells, and its controls (the
//! checkbox and the buttons), whose events the row handles for all of them (`row.rs`).
//!
//! Built element by element, a row cost the browser a call from the wasm for every element,
//! attribute, text and insertion (about a hundred per row), and the first rows' render was what a
//! seller waited for (BENCHMARKS.md, issue 16 parts 8 and 10). A row set from text is one call.
//!
//! Every value that comes from the server or the catalogue goes through [`crate::html`]; the
//! markup around them is this module's own.

use std::fmt::Write as _;

use crate::html::push_escaped;

/// Appends `<tag class="class" ...attributes>text</tag>`, every value escaped.
fn element(out: &mut String, tag: &str, attributes: &[(&str, &str)], text: &str) {
    open(out, tag, attributes);
    push_escaped(out, text);
    let _ = write!(out, "</{tag}>");
}

/// An opening tag with its attributes, values escaped.
fn open(out: &mut String, tag: &str, attributes: &[(&str, &str)]) {
    // Writing to a String cannot fail.
    let _ = write!(out, "<{tag}");
    for (name, value) in attributes {
        let _ = write!(out, " {name}=\"");
        push_escaped(out, value);
        out.push('"');
    }
    out.push('>');
}

/// The posting number and the order's line.
pub fn ids(posting_number: &str, order_line: &str) -> String {
    let mut out = String::new();
    element(
        &mut out,
        "span",
        &[("class", "posting-number")],
        posting_number,
    );
    element(&mut out, "span", &[("class", "order-number")], order_line);
    out
}

/// The products left in the shipment, one line each, and what partial cancellations took out.
pub fn products(lines: &[String], cancelled_line: Option<&str>) -> String {
    let mut out = String::from("<ul class=\"products\">");
    for line in lines {
        element(&mut out, "li", &[], line);
    }
    out.push_str("</ul>");
    if let Some(cancelled) = cancelled_line {
        element(
            &mut out,
            "p",
            &[("class", "detail cancelled-items")],
            cancelled,
        );
    }
    out
}

/// The date to ship by, and the overdue flag's words when it is late.
pub fn ship_by(datetime: &str, shown: &str, overdue_flag: Option<&str>) -> String {
    let mut out = String::new();
    element(&mut out, "time", &[("datetime", datetime)], shown);
    if let Some(flag) = overdue_flag {
        element(&mut out, "span", &[("class", "flag overdue-flag")], flag);
    }
    out
}

/// The status badge; `code` is the status as the wire spells it, which the style keys on.
pub fn status(code: &str, words: &str) -> String {
    let mut out = String::new();
    element(
        &mut out,
        "span",
        &[("class", &format!("badge status-{code}"))],
        words,
    );
    out
}

/// A cancellation as the row shows it.
pub struct CancellationCell<'a> {
    /// The state as the wire spells it, which the style keys on.
    pub state_code: &'a str,
    pub state: &'a str,
    pub provider_message: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub datetime: &'a str,
    pub shown_at: &'a str,
}

/// The cancellation column: requested, rejected with the provider's words, or who cancelled when;
/// `None` shows that there is none.
pub fn cancellation(cell: Option<&CancellationCell>, no_cancellation: &str) -> String {
    let mut out = String::new();
    let Some(cell) = cell else {
        element(&mut out, "span", &[("class", "muted")], no_cancellation);
        return out;
    };
    // Not a Tab stop, but the focus lands here after a dialog about this row closes.
    let class = format!("cancellation-state {}", cell.state_code);
    element(
        &mut out,
        "span",
        &[("class", &class), ("tabindex", "-1")],
        cell.state,
    );
    if let Some(message) = cell.provider_message {
        element(&mut out, "q", &[("class", "provider-message")], message);
    }
    if let Some(reason) = cell.reason {
        element(&mut out, "span", &[("class", "detail")], reason);
    }
    element(
        &mut out,
        "time",
        &[("class", "detail"), ("datetime", cell.datetime)],
        cell.shown_at,
    );
    out
}

/// The select cell: a checkbox named for its shipment, ticked as the selection holds it.
pub fn select(out: &mut String, label: &str, ticked: bool) {
    out.push_str("<td class=\"select\">");
    let mut attributes = vec![("type", "checkbox"), ("aria-label", label)];
    if ticked {
        attributes.push(("checked", ""));
    }
    open(out, "input", &attributes);
    out.push_str("</td>");
}

/// A cell of words.
pub fn words(out: &mut String, attributes: &[(&str, &str)], text: &str) {
    element(out, "td", attributes, text);
}

/// A cell around markup this module made.
pub fn markup(out: &mut String, attributes: &[(&str, &str)], inner: &str) {
    open(out, "td", attributes);
    out.push_str(inner);
    out.push_str("</td>");
}

/// The actions cell's parts, in its words.
pub struct Actions<'a> {
    pub posting_number: &'a str,
    pub warnings: &'a [&'a str],
    pub cancel: &'a str,
    pub cancellable: bool,
    /// "Cancel some products", when the rules offer it.
    pub partial: Option<&'a str>,
    /// Why the button is disabled, and what to do.
    pub blocked: Option<(&'a str, &'a str)>,
}

/// The id of an element in the row, unique on the page because posting numbers are.
pub fn element_id(kind: &str, posting_number: &str) -> String {
    format!("{kind}-{posting_number}")
}

/// The warnings, the Cancel shipment button (described by the reason it is disabled, or by the
/// warnings the seller should read before cancelling), "Cancel some products", and the reason.
pub fn actions(out: &mut String, actions: &Actions) {
    let explanation_id = element_id("why", actions.posting_number);
    let warnings_id = element_id("warnings", actions.posting_number);
    out.push_str("<td class=\"actions\">");
    if !actions.warnings.is_empty() {
        open(out, "ul", &[("class", "warnings"), ("id", &warnings_id)]);
        for warning in actions.warnings {
            element(out, "li", &[], warning);
        }
        out.push_str("</ul>");
    }
    let mut button = vec![("type", "button"), ("class", "cancel")];
    if !actions.cancellable {
        button.push(("disabled", ""));
    }
    match (actions.blocked, actions.warnings.is_empty()) {
        (Some(_), _) => button.push(("aria-describedby", &explanation_id)),
        (None, false) => button.push(("aria-describedby", &warnings_id)),
        (None, true) => {}
    }
    element(out, "button", &button, actions.cancel);
    if let Some(partial) = actions.partial {
        // A space between the two buttons: side by side (short labels, as in Chinese) they keep
        // a gap; wrapped, the space ends the first line and the second starts at the edge.
        out.push(' ');
        element(
            out,
            "button",
            &[("type", "button"), ("class", "secondary partial")],
            partial,
        );
    }
    if let Some((why, advice)) = actions.blocked {
        open(
            out,
            "p",
            &[("class", "explanation"), ("id", &explanation_id)],
        );
        element(out, "span", &[("class", "why")], why);
        out.push(' ');
        element(out, "span", &[("class", "advice")], advice);
        out.push_str("</p>");
    }
    out.push_str("</td>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_a_value_is_shown_as_text() {
        let html = products(&["<b>Case</b> × 2".to_owned()], None);
        assert_eq!(
            html,
            "<ul class=\"products\"><li>&lt;b&gt;Case&lt;/b&gt; × 2</li></ul>"
        );
    }

    #[test]
    fn an_attribute_value_cannot_close_its_quotes() {
        let html = ship_by("2026-11-30T10:00:00+00:00\" onclick=\"x", "30 Nov", None);
        assert_eq!(
            html,
            "<time datetime=\"2026-11-30T10:00:00+00:00&quot; onclick=&quot;x\">30 Nov</time>"
        );
    }

    #[test]
    fn each_cell_has_the_rows_markup() {
        assert_eq!(
            ids("0001-1", "Order 7"),
            "<span class=\"posting-number\">0001-1</span><span class=\"order-number\">Order 7</span>"
        );
        assert_eq!(
            products(&["Case × 1".to_owned()], Some("Cancelled: Strap × 1")),
            "<ul class=\"products\"><li>Case × 1</li></ul>\
             <p class=\"detail cancelled-items\">Cancelled: Strap × 1</p>"
        );
        assert_eq!(
            ship_by(
                "2026-11-30T10:00:00+00:00",
                "30 Nov, 10:00",
                Some("Overdue")
            ),
            "<time datetime=\"2026-11-30T10:00:00+00:00\">30 Nov, 10:00</time>\
             <span class=\"flag overdue-flag\">Overdue</span>"
        );
        assert_eq!(
            status("awaiting_packaging", "Awaiting packaging"),
            "<span class=\"badge status-awaiting_packaging\">Awaiting packaging</span>"
        );
        assert_eq!(
            cancellation(None, "None"),
            "<span class=\"muted\">None</span>"
        );
        let cell = CancellationCell {
            state_code: "rejected",
            state: "Rejected by the provider",
            provider_message: Some("Already handed over"),
            reason: Some("Reason: out of stock"),
            datetime: "2026-11-30T10:00:00+00:00",
            shown_at: "30 Nov, 10:00",
        };
        assert_eq!(
            cancellation(Some(&cell), "None"),
            "<span class=\"cancellation-state rejected\" tabindex=\"-1\">Rejected by the provider</span>\
             <q class=\"provider-message\">Already handed over</q>\
             <span class=\"detail\">Reason: out of stock</span>\
             <time class=\"detail\" datetime=\"2026-11-30T10:00:00+00:00\">30 Nov, 10:00</time>"
        );
    }
}
