//! `GET /api/openapi.json`: the OpenAPI document, built from the handlers' annotations by the same
//! router that serves them, so a route can't be served without being documented.

pub mod contract;
pub mod schemas;

use utoipa::Modify;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Shipment cancellation API",
        description = "The reference backend of the shipment-cancellation app. Errors are RFC 9457 \
                       application/problem+json bodies with a stable `code`.",
        version = "1.0.0"
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.bearer_format =
            Some("JWT (HS256) naming one seller in `sub`, with `aud` and `exp`".to_owned());
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}
