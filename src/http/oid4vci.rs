//! (being written)

use axum::Router;

use super::AppState;

/// Routes of this module, merged into [`super::app`].
pub fn routes() -> Router<AppState> {
    Router::new()
}
