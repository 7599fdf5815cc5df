//! Active contexts, term definitions and the context processing algorithm (JSON-LD 1.1 API §4.1–4.2).
