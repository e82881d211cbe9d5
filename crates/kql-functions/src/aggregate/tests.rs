//! Aggregates run through real DataFusion plans over in-memory tables. Tables with more than one
//! partition run the two-phase (partial, then final) aggregation, so the UDAF states are merged.

use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BooleanArray, DurationNanosecondArray, Float64Array, Int32Array, Int64Array,
    StringArray, TimestampNanosecondArray,
};
use datafusion::arrow::datatypes::Schema;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::ScalarValue;
use datafusion::datasource::{MemTable, provider_as_source};
use datafusion::functions::expr_fn::character_length;
use datafusion::logical_expr::{Expr, LogicalPlanBuilder, ident, lit};
use datafusion::prelude::{SessionConfig, SessionContext};

use super::*;
use crate::LowerContext;
use crate::scalar::dynamic::json::Json;

/// A column of the test table: name, KQL type, values.
type Column = (&'static str, KqlType, ArrayRef);

fn col(name: &str, ty: KqlType) -> TypedExpr {
    TypedExpr::new(ident(name), ty)
}

/// The lowered aggregate `name(args)`.
fn agg(name: &str, args: Vec<TypedExpr>) -> Expr {
    let registry = Registry::new();
    let types: Vec<KqlType> = args.iter().map(|a| a.ty).collect();
    let resolved = registry
        .resolve_aggregate(name, &types)
        .unwrap_or_else(|e| panic!("{e}"));
    let ctx = LowerContext {
        now_nanos: crate::testing::TEST_NOW_NANOS,
    };
    registry
        .lower_aggregate(&resolved, &ctx, args)
        .unwrap_or_else(|e| panic!("{e}"))
        .expr
}

/// Runs `summarize aggs by groups` over the columns split into `partitions` parts, and returns
/// the rows (group keys first) ordered by the keys.
fn summarize(
    columns: Vec<Column>,
    partitions: usize,
    groups: Vec<Expr>,
    aggs: Vec<Expr>,
) -> Vec<Vec<ScalarValue>> {
    let fields: Vec<_> = columns.iter().map(|(n, t, _)| t.to_field(n)).collect();
    let schema = Arc::new(Schema::new(fields));
    let arrays: Vec<ArrayRef> = columns.into_iter().map(|(_, _, a)| a).collect();
    let batch = RecordBatch::try_new(Arc::clone(&schema), arrays).expect("batch");
    let rows = batch.num_rows();
    let per = rows.div_ceil(partitions.max(1)).max(1);
    let parts: Vec<Vec<RecordBatch>> = (0..partitions)
        .map(|i| {
            let start = (i * per).min(rows);
            let len = per.min(rows - start);
            vec![batch.slice(start, len)]
        })
        .collect();
    let table = MemTable::try_new(schema, parts).expect("table");
    let group_count = groups.len();
    let sort: Vec<_> = (0..group_count)
        .map(|i| ident(format!("g{i}")).sort(true, true))
        .collect();
    let groups: Vec<Expr> = groups
        .into_iter()
        .enumerate()
        .map(|(i, g)| g.alias(format!("g{i}")))
        .collect();
    let aggs: Vec<Expr> = aggs
        .into_iter()
        .enumerate()
        .map(|(i, a)| a.alias(format!("a{i}")))
        .collect();
    let mut plan = LogicalPlanBuilder::scan("t", provider_as_source(Arc::new(table)), None)
        .expect("scan")
        .aggregate(groups, aggs)
        .expect("aggregate");
    if group_count > 0 {
        plan = plan.sort(sort).expect("sort");
    }
    let plan = plan.build().expect("plan");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let batches = runtime.block_on(async {
        let ctx = SessionContext::new_with_config(
            SessionConfig::new().with_target_partitions(partitions),
        );
        datafusion::dataframe::DataFrame::new(ctx.state(), plan)
            .collect()
            .await
            .expect("collect")
    });
    let mut out = Vec::new();
    for b in batches {
        for row in 0..b.num_rows() {
            out.push(
                b.columns()
                    .iter()
                    .map(|c| ScalarValue::try_from_array(c, row).expect("scalar"))
                    .collect(),
            );
        }
    }
    out
}

/// The single row of a `summarize` without `by`.
fn summarize_all(columns: Vec<Column>, partitions: usize, aggs: Vec<Expr>) -> Vec<ScalarValue> {
    let mut rows = summarize(columns, partitions, vec![], aggs);
    assert_eq!(rows.len(), 1);
    rows.remove(0)
}

fn strings(values: &[&str]) -> ArrayRef {
    Arc::new(StringArray::from(values.to_vec()))
}

fn longs(values: &[i64]) -> ArrayRef {
    Arc::new(Int64Array::from(values.to_vec()))
}

fn text(v: &str) -> ScalarValue {
    ScalarValue::Utf8(Some(v.into()))
}

fn long(v: i64) -> ScalarValue {
    ScalarValue::Int64(Some(v))
}

fn real(v: &ScalarValue) -> f64 {
    match v {
        ScalarValue::Float64(Some(x)) => *x,
        other => panic!("not a real: {other:?}"),
    }
}

/// A dynamic array result with its elements sorted by their text (for unordered results).
fn sorted_elements(v: &ScalarValue) -> Vec<String> {
    let ScalarValue::Utf8(Some(t)) = v else {
        panic!("not text: {v:?}");
    };
    let Some(Json::Array(items)) = Json::parse(t) else {
        panic!("not an array: {t}");
    };
    let mut texts: Vec<String> = items.iter().map(Json::text).collect();
    texts.sort();
    texts
}

/// The docs' `datatable(name:string, day_of_birth:long)`.
fn birthdays() -> Vec<Column> {
    vec![
        (
            "name",
            KqlType::String,
            strings(&["John", "Paul", "George", "Ringo"]),
        ),
        ("day_of_birth", KqlType::Long, longs(&[9, 18, 25, 7])),
    ]
}

fn long_name() -> TypedExpr {
    TypedExpr::new(character_length(ident("name")).gt(lit(4i32)), KqlType::Bool)
}

/// The docs' `shapes` table.
fn shapes() -> Vec<Column> {
    vec![
        (
            "name",
            KqlType::String,
            strings(&[
                "triangle",
                "square",
                "rectangle",
                "pentagon",
                "hexagon",
                "heptagon",
                "octagon",
                "nonagon",
                "decagon",
            ]),
        ),
        (
            "sideCount",
            KqlType::Int,
            Arc::new(Int32Array::from(vec![3, 4, 4, 5, 6, 7, 8, 9, 10])),
        ),
    ]
}

#[test]
fn countif_sumif_and_make_list_if_follow_the_docs() {
    for partitions in [1, 2] {
        let row = summarize_all(
            birthdays(),
            partitions,
            vec![
                agg("countif", vec![long_name()]),
                agg(
                    "sumif",
                    vec![col("day_of_birth", KqlType::Long), long_name()],
                ),
            ],
        );
        assert_eq!(row, vec![long(2), long(32)]);
    }
    let row = summarize_all(
        birthdays(),
        1,
        vec![agg(
            "make_list_if",
            vec![col("name", KqlType::String), long_name()],
        )],
    );
    assert_eq!(row, vec![text(r#"["George","Ringo"]"#)]);
}

#[test]
fn make_list_follows_the_docs() {
    let row = summarize_all(
        shapes(),
        1,
        vec![agg("make_list", vec![col("name", KqlType::String)])],
    );
    assert_eq!(
        row,
        vec![text(
            r#"["triangle","square","rectangle","pentagon","hexagon","heptagon","octagon","nonagon","decagon"]"#
        )]
    );
    let even = (ident("sideCount") % lit(2i32)).eq(lit(0i32));
    let rows = summarize(
        shapes(),
        1,
        vec![even],
        vec![agg("make_list", vec![col("name", KqlType::String)])],
    );
    assert_eq!(
        rows,
        vec![
            vec![
                ScalarValue::Boolean(Some(false)),
                text(r#"["triangle","pentagon","heptagon","nonagon"]"#)
            ],
            vec![
                ScalarValue::Boolean(Some(true)),
                text(r#"["square","rectangle","hexagon","octagon","decagon"]"#)
            ],
        ]
    );
}

#[test]
fn make_list_embeds_dynamic_values() {
    // KQL docs: make_list(bag_pack("name", name, "sideCount", sideCount)) by even side count.
    let bags: Vec<String> = [
        ("triangle", 3),
        ("square", 4),
        ("pentagon", 5),
        ("hexagon", 6),
    ]
    .iter()
    .map(|(n, c)| format!(r#"{{ "name": "{n}", "sideCount": {c} }}"#))
    .collect();
    let bags: Vec<&str> = bags.iter().map(String::as_str).collect();
    let columns = vec![
        ("d", KqlType::Dynamic, strings(&bags)),
        (
            "even",
            KqlType::Bool,
            Arc::new(BooleanArray::from(vec![false, true, false, true])) as ArrayRef,
        ),
    ];
    let rows = summarize(
        columns,
        1,
        vec![ident("even")],
        vec![agg("make_list", vec![col("d", KqlType::Dynamic)])],
    );
    assert_eq!(
        rows[0][1],
        text(r#"[{"name":"triangle","sideCount":3},{"name":"pentagon","sideCount":5}]"#)
    );
    assert_eq!(
        rows[1][1],
        text(r#"[{"name":"square","sideCount":4},{"name":"hexagon","sideCount":6}]"#)
    );
}

#[test]
fn make_list_with_nulls_keeps_nulls() {
    // KQL docs: make_list_with_nulls(sideCount) with a null first side count.
    let counts: ArrayRef = Arc::new(Int32Array::from(vec![
        None,
        Some(4),
        Some(4),
        Some(5),
        Some(6),
        Some(7),
        Some(8),
        Some(9),
        Some(10),
    ]));
    let columns = || vec![("sideCount", KqlType::Int, Arc::clone(&counts))];
    let row = summarize_all(
        columns(),
        1,
        vec![
            agg("make_list_with_nulls", vec![col("sideCount", KqlType::Int)]),
            agg("make_list", vec![col("sideCount", KqlType::Int)]),
        ],
    );
    assert_eq!(
        row,
        vec![text("[null,4,4,5,6,7,8,9,10]"), text("[4,4,5,6,7,8,9,10]")]
    );
}

#[test]
fn make_set_follows_the_docs() {
    let arrays = strings(&[
        r#"["A1", "A2", "A3"]"#,
        r#"["A2", "C1"]"#,
        r#"["C2", "A3"]"#,
        r#"["C2", "A1"]"#,
    ]);
    let columns = || {
        vec![
            (
                "Val",
                KqlType::Int,
                Arc::new(Int32Array::from(vec![1, 5, 7, 5])) as ArrayRef,
            ),
            ("Arr1", KqlType::Dynamic, Arc::clone(&arrays)),
        ]
    };
    let aggs = || {
        vec![
            agg("make_set", vec![col("Val", KqlType::Int)]),
            agg("make_set", vec![col("Arr1", KqlType::Dynamic)]),
        ]
    };
    let row = summarize_all(columns(), 1, aggs());
    assert_eq!(
        row,
        vec![text("[1,5,7]"), text(r#"["A1","A2","A3","C1","C2"]"#)]
    );
    // Split across partitions the order is undefined, the elements are not.
    let row = summarize_all(columns(), 2, aggs());
    assert_eq!(sorted_elements(&row[0]), vec!["1", "5", "7"]);
    assert_eq!(
        sorted_elements(&row[1]),
        vec![r#""A1""#, r#""A2""#, r#""A3""#, r#""C1""#, r#""C2""#]
    );
}

#[test]
fn make_set_of_reals_skips_nulls() {
    // KQL docs (summarize): y = iff(x == 1, real(null), real(5)) for x in 1..2 gives [5.0].
    let columns = vec![(
        "y",
        KqlType::Real,
        Arc::new(Float64Array::from(vec![None, Some(5.0)])) as ArrayRef,
    )];
    let row = summarize_all(
        columns,
        1,
        vec![agg("make_set", vec![col("y", KqlType::Real)])],
    );
    assert_eq!(row, vec![text("[5.0]")]);
}

#[test]
fn empty_input_gives_the_docs_defaults() {
    // KQL docs (summarize): over an empty table, make_set and make_list are [], count, countif,
    // dcount and dcountif are 0.
    let columns = vec![(
        "x",
        KqlType::Long,
        Arc::new(Int64Array::from(Vec::<i64>::new())) as ArrayRef,
    )];
    let positive = || TypedExpr::new(ident("x").gt(lit(0i64)), KqlType::Bool);
    let row = summarize_all(
        columns,
        1,
        vec![
            agg("make_set", vec![col("x", KqlType::Long)]),
            agg("make_list", vec![col("x", KqlType::Long)]),
            agg("count", vec![]),
            agg("countif", vec![positive()]),
            agg("dcount", vec![col("x", KqlType::Long)]),
            agg("dcountif", vec![col("x", KqlType::Long), positive()]),
        ],
    );
    assert_eq!(
        row,
        vec![text("[]"), text("[]"), long(0), long(0), long(0), long(0)]
    );
}

#[test]
fn make_list_types_its_values() {
    let columns = vec![
        (
            "t",
            KqlType::Datetime,
            Arc::new(
                TimestampNanosecondArray::from(vec![Some(1_483_228_800_000_000_000), None])
                    .with_timezone("UTC"),
            ) as ArrayRef,
        ),
        (
            "span",
            KqlType::Timespan,
            Arc::new(DurationNanosecondArray::from(vec![
                Some(90_000_000_000),
                Some(-1_000_000_000),
            ])) as ArrayRef,
        ),
        (
            "b",
            KqlType::Bool,
            Arc::new(BooleanArray::from(vec![Some(true), Some(false)])) as ArrayRef,
        ),
        (
            "s",
            KqlType::String,
            Arc::new(StringArray::from(vec![Some("a\"b"), None])) as ArrayRef,
        ),
        (
            "r",
            KqlType::Real,
            Arc::new(Float64Array::from(vec![2.5, f64::NAN])) as ArrayRef,
        ),
    ];
    let row = summarize_all(
        columns,
        1,
        vec![
            agg("make_list", vec![col("t", KqlType::Datetime)]),
            agg("make_list", vec![col("span", KqlType::Timespan)]),
            agg("make_list", vec![col("b", KqlType::Bool)]),
            agg("make_list", vec![col("s", KqlType::String)]),
            agg("make_list", vec![col("r", KqlType::Real)]),
        ],
    );
    assert_eq!(
        row,
        vec![
            text(r#"["2017-01-01T00:00:00Z"]"#),
            text(r#"["00:01:30","-00:00:01"]"#),
            text("[true,false]"),
            // A null string is "" (KQL strings have no null).
            text(r#"["a\"b",""]"#),
            text(r#"[2.5,"NaN"]"#),
        ]
    );
}

#[test]
fn make_list_and_make_set_stop_at_max_size() {
    let columns = || vec![("x", KqlType::Long, longs(&[3, 1, 3, 2, 5]))];
    let row = summarize_all(
        columns(),
        1,
        vec![
            agg(
                "make_list",
                vec![
                    col("x", KqlType::Long),
                    TypedExpr::new(lit(2i64), KqlType::Long),
                ],
            ),
            agg(
                "make_set",
                vec![
                    col("x", KqlType::Long),
                    TypedExpr::new(lit(3i32), KqlType::Int),
                ],
            ),
        ],
    );
    assert_eq!(row, vec![text("[3,1]"), text("[3,1,2]")]);
    let row = summarize_all(
        columns(),
        2,
        vec![agg(
            "make_list",
            vec![
                col("x", KqlType::Long),
                TypedExpr::new(lit(4i64), KqlType::Long),
            ],
        )],
    );
    assert_eq!(sorted_elements(&row[0]).len(), 4);
}

#[test]
fn make_bag_follows_the_docs() {
    let bags = strings(&[
        r#"{"prop01":"val_a"}"#,
        r#"{"prop02":"val_b"}"#,
        r#"{"prop03":"val_c"}"#,
    ]);
    let columns = || {
        vec![
            ("p", KqlType::Dynamic, Arc::clone(&bags)),
            (
                "predicate",
                KqlType::Bool,
                Arc::new(BooleanArray::from(vec![true, false, true])) as ArrayRef,
            ),
        ]
    };
    let row = summarize_all(
        columns(),
        1,
        vec![
            agg("make_bag", vec![col("p", KqlType::Dynamic)]),
            agg(
                "make_bag_if",
                vec![col("p", KqlType::Dynamic), col("predicate", KqlType::Bool)],
            ),
        ],
    );
    assert_eq!(
        row,
        vec![
            text(r#"{"prop01":"val_a","prop02":"val_b","prop03":"val_c"}"#),
            text(r#"{"prop01":"val_a","prop03":"val_c"}"#)
        ]
    );
    // Values that are not bags are skipped; a repeated key keeps one value; partial bags merge.
    let columns = vec![(
        "p",
        KqlType::Dynamic,
        Arc::new(StringArray::from(vec![
            Some(r#"{"a":1}"#),
            Some("[1,2]"),
            None,
            Some(r#"{"a":2,"b":{"c":true}}"#),
        ])) as ArrayRef,
    )];
    let row = summarize_all(
        columns,
        2,
        vec![agg("make_bag", vec![col("p", KqlType::Dynamic)])],
    );
    let ScalarValue::Utf8(Some(bag)) = &row[0] else {
        panic!("not text");
    };
    let bag = Json::parse(bag).expect("json");
    assert!(bag.get("a").is_some());
    assert_eq!(bag.get("b").map(Json::text), Some(r#"{"c":true}"#.into()));
    let Json::Object(entries) = bag else {
        panic!("not a bag");
    };
    assert_eq!(entries.len(), 2);
}

#[test]
#[allow(
    clippy::approx_constant,
    reason = "1.4142135623731 is the KQL docs' stdevp"
)]
fn statistics_follow_the_docs() {
    // KQL docs: range x from 1 to 5 gives stdev 1.58113883008419, stdevp 1.4142135623731,
    // variance 2.5 and variancep 2.
    for partitions in [1, 2] {
        let row = summarize_all(
            vec![("x", KqlType::Long, longs(&[1, 2, 3, 4, 5]))],
            partitions,
            vec![
                agg("stdev", vec![col("x", KqlType::Long)]),
                agg("stdevp", vec![col("x", KqlType::Long)]),
                agg("variance", vec![col("x", KqlType::Long)]),
                agg("variancep", vec![col("x", KqlType::Long)]),
            ],
        );
        assert!((real(&row[0]) - 1.58113883008419).abs() < 1e-12);
        assert!((real(&row[1]) - 1.4142135623731).abs() < 1e-12);
        assert!((real(&row[2]) - 2.5).abs() < 1e-12);
        assert!((real(&row[3]) - 2.0).abs() < 1e-12);
    }
    // The `if` forms filter: the sample variance of 2, 4 is 2.
    let even = TypedExpr::new((ident("x") % lit(2i64)).eq(lit(0i64)), KqlType::Bool);
    let row = summarize_all(
        vec![("x", KqlType::Long, longs(&[1, 2, 3, 4, 5]))],
        1,
        vec![agg("varianceif", vec![col("x", KqlType::Long), even])],
    );
    assert!((real(&row[0]) - 2.0).abs() < 1e-12);
}

#[test]
fn covariance_follows_the_docs() {
    // KQL docs: x 1..5, y 14, 10, 17, 20, 50 gives covariance 20.5; the population covariance
    // divides the same sum by 5 instead of 4: 16.4.
    let columns = || {
        vec![
            (
                "x",
                KqlType::Real,
                Arc::new(Float64Array::from(vec![1.0, 2.0, 3.0, 4.0, 5.0])) as ArrayRef,
            ),
            (
                "y",
                KqlType::Real,
                Arc::new(Float64Array::from(vec![14.0, 10.0, 17.0, 20.0, 50.0])) as ArrayRef,
            ),
        ]
    };
    let row = summarize_all(
        columns(),
        2,
        vec![
            agg(
                "covariance",
                vec![col("x", KqlType::Real), col("y", KqlType::Real)],
            ),
            agg(
                "covariancep",
                vec![col("x", KqlType::Real), col("y", KqlType::Real)],
            ),
        ],
    );
    assert!((real(&row[0]) - 20.5).abs() < 1e-12);
    assert!((real(&row[1]) - 16.4).abs() < 1e-12);
}

#[test]
fn percentile_is_nearest_rank() {
    // The nearest-rank definition the KQL docs cite (Wikipedia's example): for 15, 20, 35, 40, 50
    // the 5th, 30th, 40th, 50th and 100th percentiles are 15, 20, 20, 35, 50; the 0th is the
    // smallest value.
    let values = || vec![("x", KqlType::Long, longs(&[50, 15, 40, 20, 35]))];
    let percent = |p: f64| TypedExpr::new(lit(p), KqlType::Real);
    for partitions in [1, 2] {
        let row = summarize_all(
            values(),
            partitions,
            [5.0, 30.0, 40.0, 50.0, 100.0, 0.0]
                .into_iter()
                .map(|p| agg("percentile", vec![col("x", KqlType::Long), percent(p)]))
                .collect(),
        );
        assert_eq!(
            row,
            vec![long(15), long(20), long(20), long(35), long(50), long(15)]
        );
    }
    // A long percentile converts to real; the median of 1..4 is 2, not 2.5.
    let row = summarize_all(
        vec![("x", KqlType::Long, longs(&[1, 2, 3, 4]))],
        1,
        vec![agg(
            "percentile",
            vec![
                col("x", KqlType::Long),
                TypedExpr::new(lit(50i64), KqlType::Long),
            ],
        )],
    );
    assert_eq!(row, vec![long(2)]);
    // Datetimes keep their type and every nanosecond.
    let times = TimestampNanosecondArray::from(vec![
        1_483_228_800_000_000_001,
        1_483_228_800_000_000_003,
        1_483_228_800_000_000_002,
    ])
    .with_timezone("UTC");
    let row = summarize_all(
        vec![("t", KqlType::Datetime, Arc::new(times) as ArrayRef)],
        1,
        vec![agg(
            "percentile",
            vec![col("t", KqlType::Datetime), percent(50.0)],
        )],
    );
    assert_eq!(
        row,
        vec![ScalarValue::TimestampNanosecond(
            Some(1_483_228_800_000_000_002),
            Some("UTC".into())
        )]
    );
}

#[test]
fn percentile_needs_a_constant_in_range() {
    let registry = Registry::new();
    let resolved = registry
        .resolve_aggregate("percentile", &[KqlType::Long, KqlType::Real])
        .expect("resolves");
    let ctx = LowerContext {
        now_nanos: crate::testing::TEST_NOW_NANOS,
    };
    let not_constant = registry.lower_aggregate(
        &resolved,
        &ctx,
        vec![col("x", KqlType::Long), col("p", KqlType::Real)],
    );
    assert!(matches!(
        not_constant,
        Err(FunctionError::NotConstant { index: 1, .. })
    ));
    let out_of_range = registry.lower_aggregate(
        &resolved,
        &ctx,
        vec![
            col("x", KqlType::Long),
            TypedExpr::new(lit(101.0), KqlType::Real),
        ],
    );
    assert!(out_of_range.is_err());
}

#[test]
fn binary_all_follows_the_docs() {
    // KQL docs: both produce CAFEF00D.
    let and = summarize_all(
        vec![(
            "num",
            KqlType::Long,
            longs(&[0xFFFF_FFFF, 0xFFFF_F00F, 0xCFFF_FFFD, 0xFAFE_FFFF]),
        )],
        2,
        vec![agg("binary_all_and", vec![col("num", KqlType::Long)])],
    );
    assert_eq!(and, vec![long(0xCAFE_F00D)]);
    let xor = summarize_all(
        vec![(
            "num",
            KqlType::Long,
            longs(&[0x4440_4440, 0x1E1E_1E1E, 0x90AB_BA09, 0x000B_105A]),
        )],
        1,
        vec![agg("binary_all_xor", vec![col("num", KqlType::Long)])],
    );
    assert_eq!(xor, vec![long(0xCAFE_F00D)]);
    let or = summarize_all(
        vec![("num", KqlType::Long, longs(&[1, 4, 8]))],
        1,
        vec![agg("binary_all_or", vec![col("num", KqlType::Long)])],
    );
    assert_eq!(or, vec![long(13)]);
}

#[test]
fn dcount_and_avgif_count_non_null_values() {
    let columns = || {
        vec![(
            "x",
            KqlType::Long,
            Arc::new(Int64Array::from(vec![
                Some(1),
                Some(2),
                Some(2),
                None,
                Some(3),
                Some(-4),
            ])) as ArrayRef,
        )]
    };
    let positive = || TypedExpr::new(ident("x").gt(lit(0i64)), KqlType::Bool);
    let row = summarize_all(
        columns(),
        2,
        vec![
            agg("dcount", vec![col("x", KqlType::Long)]),
            agg(
                "dcount",
                vec![
                    col("x", KqlType::Long),
                    TypedExpr::new(lit(1i32), KqlType::Int),
                ],
            ),
            agg("dcountif", vec![col("x", KqlType::Long), positive()]),
            agg("avgif", vec![col("x", KqlType::Long), positive()]),
            agg("avg", vec![col("x", KqlType::Long)]),
        ],
    );
    assert_eq!(row[..3], [long(4), long(4), long(3)]);
    assert!((real(&row[3]) - 2.0).abs() < 1e-12);
    assert!((real(&row[4]) - 0.8).abs() < 1e-12);
}

#[test]
fn take_any_prefers_non_empty_values() {
    let columns = || {
        vec![
            ("s", KqlType::String, strings(&["", "a", ""])),
            (
                "n",
                KqlType::Long,
                Arc::new(Int64Array::from(vec![None, Some(7), None])) as ArrayRef,
            ),
        ]
    };
    for partitions in [1, 2] {
        let row = summarize_all(
            columns(),
            partitions,
            vec![
                agg("take_any", vec![col("s", KqlType::String)]),
                agg("any", vec![col("n", KqlType::Long)]),
                agg(
                    "take_anyif",
                    vec![
                        col("n", KqlType::Long),
                        TypedExpr::new(ident("s").eq(lit("zzz")), KqlType::Bool),
                    ],
                ),
            ],
        );
        assert_eq!(row, vec![text("a"), long(7), ScalarValue::Int64(None)]);
    }
}

#[test]
fn arg_max_and_arg_min_follow_the_docs() {
    // KQL docs: arg_max(Version, *) by Fruit, with null versions.
    let columns = || {
        vec![
            (
                "Fruit",
                KqlType::String,
                strings(&["Apple", "Apple", "Banana", "Banana", "Pear", "Pear"]),
            ),
            (
                "Color",
                KqlType::String,
                strings(&["Red", "Green", "Yellow", "Green", "Brown", "Green"]),
            ),
            (
                "Version",
                KqlType::Int,
                Arc::new(Int32Array::from(vec![
                    Some(1),
                    None,
                    None,
                    None,
                    Some(1),
                    Some(2),
                ])) as ArrayRef,
            ),
        ]
    };
    let version = || col("Version", KqlType::Int);
    let color = || col("Color", KqlType::String);
    for partitions in [1, 2] {
        let rows = summarize(
            columns(),
            partitions,
            vec![ident("Fruit")],
            vec![
                agg("arg_max", vec![version(), color()]),
                arg_extreme(version(), color(), true),
                arg_extreme(version(), color(), false),
            ],
        );
        let version_of = |v: Option<i32>| ScalarValue::Int32(v);
        assert_eq!(
            rows[0][..4],
            [text("Apple"), version_of(Some(1)), text("Red"), text("Red")]
        );
        assert_eq!(rows[1][..2], [text("Banana"), version_of(None)]);
        assert!(matches!(&rows[1][2], ScalarValue::Utf8(Some(c)) if c == "Yellow" || c == "Green"));
        assert_eq!(
            rows[2][..4],
            [
                text("Pear"),
                version_of(Some(2)),
                text("Green"),
                text("Brown")
            ]
        );
    }
}

#[test]
fn aggregate_names_and_types() {
    let registry = Registry::new();
    let name = |f: &str| registry.aggregate(f).map(|a| a.column_name);
    assert_eq!(name("countif"), Some("countif_"));
    assert_eq!(name("sumif"), Some("sumif_{}"));
    assert_eq!(name("dcount"), Some("dcount_{}"));
    assert_eq!(name("make_list"), Some("list_{}"));
    assert_eq!(name("make_list_if"), Some("list_{}"));
    assert_eq!(name("make_set"), Some("set_{}"));
    assert_eq!(name("stdev"), Some("stdev_{}"));
    assert_eq!(name("variance"), Some("variance_{}"));
    assert_eq!(name("any"), Some("any_{}"));
    let resolved = registry
        .resolve_aggregate("sumif", &[KqlType::Int, KqlType::Bool])
        .expect("resolves");
    assert_eq!(resolved.result, KqlType::Long);
    let resolved = registry
        .resolve_aggregate("make_set", &[KqlType::String])
        .expect("resolves");
    assert_eq!(resolved.result, KqlType::Dynamic);
    let resolved = registry
        .resolve_aggregate(
            "arg_max",
            &[KqlType::Datetime, KqlType::String, KqlType::Long],
        )
        .expect("resolves");
    assert_eq!(resolved.result, KqlType::Datetime);
    assert!(
        registry
            .resolve_aggregate("make_bag", &[KqlType::Long])
            .is_err()
    );
}
