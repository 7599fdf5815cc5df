//! One JSON error envelope for every failure: `{"error": {"status", "code", "message", "details"?}}`.
//!
//! 4xx bodies explain what to fix; 5xx bodies say only that something failed, and the cause is
//! logged here, once, never sent to the client.

use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::record::RecordError;
use crate::service::ServiceError;
use crate::wallet::WalletError;

/// An HTTP error response.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub details: Vec<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            details: Vec::new(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn unauthorized() -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "missing or invalid API token: send Authorization: Bearer <token>",
        )
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    /// A server-side failure: the cause is logged, the client gets a generic message.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error; the server log has the details",
        )
    }

    fn code(&self) -> &'static str {
        match self.status {
            StatusCode::BAD_REQUEST => "bad_request",
            StatusCode::UNAUTHORIZED => "unauthorized",
            StatusCode::FORBIDDEN => "forbidden",
            StatusCode::NOT_FOUND => "not_found",
            StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
            StatusCode::CONFLICT => "conflict",
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            StatusCode::UNPROCESSABLE_ENTITY => "unprocessable",
            StatusCode::REQUEST_TIMEOUT => "timeout",
            StatusCode::GONE => "gone",
            StatusCode::LOCKED => "locked",
            StatusCode::TOO_MANY_REQUESTS => "too_many_requests",
            _ if self.status.is_server_error() => "internal",
            _ => "error",
        }
    }
}

/// Offers that cannot be claimed: 404 unknown, 410 gone (expired, withdrawn, claimed),
/// 423 locked, 403 for a missing or wrong one-time code.
impl From<WalletError> for ApiError {
    fn from(e: WalletError) -> Self {
        let status = match e {
            WalletError::Service(inner) => return inner.into(),
            WalletError::UnknownOffer => StatusCode::NOT_FOUND,
            WalletError::Expired(_) | WalletError::Withdrawn | WalletError::Claimed => {
                StatusCode::GONE
            }
            WalletError::Locked => StatusCode::LOCKED,
            WalletError::CodeRequired | WalletError::WrongCode { .. } => StatusCode::FORBIDDEN,
            WalletError::NotADid(_) => StatusCode::BAD_REQUEST,
        };
        ApiError::new(status, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = json!({
            "status": self.status.as_u16(),
            "code": self.code(),
            "message": self.message,
        });
        if !self.details.is_empty() {
            error["details"] = json!(self.details);
        }
        (self.status, axum::Json(json!({ "error": error }))).into_response()
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Unprocessable(m) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, m),
            ServiceError::Record(RecordError::Invalid(violations)) => ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                message: format!(
                    "invalid learning-outcome record ({} problem{})",
                    violations.len(),
                    if violations.len() == 1 { "" } else { "s" }
                ),
                details: violations.iter().map(ToString::to_string).collect(),
            },
            ServiceError::Record(other) => ApiError::bad_request(other.to_string()),
            ServiceError::Forbidden(m) => ApiError::new(StatusCode::FORBIDDEN, m),
            ServiceError::NotFound(m) => ApiError::not_found(m),
            ServiceError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, m),
            ServiceError::CannotCheck(m) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("could not check: {m}"),
            ),
            ServiceError::Internal(m) => ApiError::internal(m),
        }
    }
}

/// Malformed or oversized JSON bodies get the same envelope as everything else.
impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let status = rejection.status();
        let message = match &rejection {
            JsonRejection::MissingJsonContentType(_) => {
                "expected a JSON body with Content-Type: application/json".to_owned()
            }
            JsonRejection::BytesRejection(_) if status == StatusCode::PAYLOAD_TOO_LARGE => {
                "request body too large".to_owned()
            }
            // serde's message names the position and the problem, never server internals.
            other => other.body_text(),
        };
        ApiError::new(status, message)
    }
}
