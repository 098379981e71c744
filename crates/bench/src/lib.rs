//! What the `dealdesk-bench` binary and the bench examples share.

pub mod hand_analytics;
