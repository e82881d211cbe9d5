//! Scalar functions, one file per family. Each family's `register` adds its entries.

pub mod assert;
pub mod conditional;
pub mod conversion;
pub mod datetime;
pub mod dynamic;
pub mod encoding;
pub mod hash;
pub mod ip;
pub mod math;
pub mod string;

use crate::Registry;

/// Registers every scalar function.
pub(crate) fn register_all(registry: &mut Registry) {
    assert::register(registry);
    conditional::register(registry);
    conversion::register(registry);
    datetime::register(registry);
    dynamic::register(registry);
    encoding::register(registry);
    hash::register(registry);
    ip::register(registry);
    math::register(registry);
    string::register(registry);
}

/// KQL functions this engine knows by name but does not implement: a call gets "function 'x' is
/// not supported" instead of "unknown function".
pub const KNOWN_UNSUPPORTED: &[&str] = &[
    "geo_distance_2points",
    "geo_point_in_polygon",
    "geo_point_to_s2cell",
    "geo_point_to_h3cell",
    "series_fir",
    "series_iir",
    "series_fit_line",
    "series_fit_2lines",
    "series_decompose",
    "series_decompose_anomalies",
    "series_decompose_forecast",
    "series_outliers",
    "series_periods_detect",
    "series_periods_validate",
    "series_stats",
    "series_stats_dynamic",
    "series_fill_backward",
    "series_fill_forward",
    "series_fill_const",
    "series_fill_linear",
    "series_add",
    "series_subtract",
    "series_multiply",
    "series_divide",
    "series_seasonal",
    "cursor_after",
    "cursor_before_or_at",
    "cursor_current",
    "current_cluster_endpoint",
    "current_database",
    "current_principal",
    "current_principal_details",
    "extent_id",
    "extent_tags",
    "ingestion_time",
    "estimate_data_size",
    "parse_user_agent",
    "parse_url",
    "parse_urlquery",
    "parse_path",
    "hash_sha1",
    "hash_combine",
    "hash_many",
    "pack_all",
    "bag_unpack",
    "todatetime_from_unix",
    "parse_xml",
    "make_string",
    "to_utf8",
    "rand",
    "welch_test",
    "column_ifexists",
    "columnifexists",
    "new_guid",
    "not_supported_example",
];
