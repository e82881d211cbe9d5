//! End-to-end properties of the generated tables: shape, determinism, realism rules, and the rows
//! the documented seed queries look for.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] fns may unwrap too"
)]

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{DataType, Int32Type, TimeUnit, TimestampNanosecondType};
use chrono::{DateTime, Utc};
use kql_datagen::{Formats, GenConfig, Table, generate_all, schema, write_table};

const DAY: i64 = 86_400_000_000_000;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn config(rows: usize) -> GenConfig {
    GenConfig::new(rows, 42, now())
}

fn now_ns() -> i64 {
    now().timestamp_nanos_opt().unwrap()
}

/// A whole table as one batch.
fn table(cfg: &GenConfig, t: Table) -> RecordBatch {
    let batches = generate_all(cfg, t).unwrap();
    arrow::compute::concat_batches(&t.schema(), &batches).unwrap()
}

fn strings(b: &RecordBatch, col: &str) -> Vec<String> {
    let a = b.column_by_name(col).unwrap().as_string::<i32>();
    (0..a.len()).map(|i| a.value(i).to_string()).collect()
}

fn times(b: &RecordBatch, col: &str) -> Vec<i64> {
    let a = b
        .column_by_name(col)
        .unwrap()
        .as_primitive::<TimestampNanosecondType>();
    assert_eq!(a.null_count(), 0, "{col} has nulls");
    a.values().to_vec()
}

fn ints(b: &RecordBatch, col: &str) -> Vec<i32> {
    let a = b.column_by_name(col).unwrap().as_primitive::<Int32Type>();
    a.values().to_vec()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kql-datagen-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const JOB_EVENT: &[&str] = &[
    "_BilledSize",
    "ClusterId",
    "ClusterName",
    "ClusterResourceGroupName",
    "CreationApiVersion",
    "CustomerSubscriptionId",
    "ErrorDetails",
    "EventType",
    "ExecutionState",
    "ExperimentId",
    "ExperimentName",
    "InternalOperationName",
    "_IsBillable",
    "JobErrorMessage",
    "JobId",
    "JobName",
    "NodeId",
    "OperationName",
    "ProvisioningState",
    "ResourceGroupName",
    "_ResourceId",
    "ResultSignature",
    "RunInContainer",
    "SourceSystem",
    "_SubscriptionId",
    "TenantId",
    "TFParameterServerCount",
    "TFWorkerCount",
    "TimeGenerated",
    "ToolType",
    "Type",
    "WorkspaceName",
];

const CLUSTER_EVENT: &[&str] = &[
    "AllocationState",
    "AllocationStateTransitionTime",
    "_BilledSize",
    "ClusterErrorCodes",
    "ClusterName",
    "ClusterType",
    "CoreCount",
    "CreatedBy",
    "CreationApiVersion",
    "CurrentNodeCount",
    "EventType",
    "IdleNodeCount",
    "InitialNodeCount",
    "InternalOperationName",
    "_IsBillable",
    "IsResizeGrow",
    "LeavingNodeCount",
    "MaximumNodeCount",
    "MinimumNodeCount",
    "NodeDeallocationOption",
    "NodeIdleTimeSecondsBeforeScaleDown",
    "Offer",
    "OperationName",
    "PreemptedNodeCount",
    "PreparingNodeCount",
    "ProvisioningState",
    "Publisher",
    "QuotaAllocated",
    "QuotaUtilized",
    "_ResourceId",
    "ResultSignature",
    "RunningNodeCount",
    "ScalingType",
    "Sku",
    "SourceSystem",
    "SubnetId",
    "_SubscriptionId",
    "TargetNodeCount",
    "TenantId",
    "TimeGenerated",
    "Type",
    "UnusableNodeCount",
    "Version",
    "VmFamilyName",
    "VmPriority",
    "VmSize",
];

const NODE_EVENT: &[&str] = &[
    "_BilledSize",
    "ClusterCreationTime",
    "ClusterName",
    "InternalOperationName",
    "_IsBillable",
    "NodeAllocationTime",
    "NodeBootTime",
    "NodeId",
    "Offer",
    "OperationName",
    "Publisher",
    "ResizeEndTime",
    "ResizeStartTime",
    "ResultSignature",
    "Sku",
    "SourceSystem",
    "StartTaskEndTime",
    "StartTaskStartTime",
    "TenantId",
    "TimeGenerated",
    "TotalE2ETimeInSeconds",
    "Type",
    "Version",
    "VmFamilyName",
    "VmPriority",
    "VmSize",
];

const TRACES: &[&str] = &[
    "timestamp",
    "message",
    "severityLevel",
    "itemType",
    "customDimensions",
    "customMeasurements",
    "operation_Name",
    "operation_Id",
    "operation_ParentId",
    "operation_SyntheticSource",
    "session_Id",
    "user_Id",
    "user_AuthenticatedId",
    "user_AccountId",
    "application_Version",
    "client_Type",
    "client_Model",
    "client_OS",
    "client_IP",
    "client_City",
    "client_StateOrProvince",
    "client_CountryOrRegion",
    "client_Browser",
    "cloud_RoleName",
    "cloud_RoleInstance",
    "appId",
    "appName",
    "iKey",
    "sdkVersion",
    "itemId",
    "itemCount",
];

#[test]
fn schemas_match_the_table_reference() {
    for (t, expected, count) in [
        (Table::AmlComputeJobEvent, JOB_EVENT, 32),
        (Table::AmlComputeClusterEvent, CLUSTER_EVENT, 46),
        (Table::AmlComputeClusterNodeEvent, NODE_EVENT, 26),
        (Table::Traces, TRACES, 31),
    ] {
        let s = t.schema();
        let names: Vec<&str> = s.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, expected, "{}", t.name());
        assert_eq!(names.len(), count, "{}", t.name());
        let time = s.field_with_name(t.time_column()).unwrap();
        assert_eq!(
            time.data_type(),
            &DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into()))
        );
    }
    let jobs = schema::aml_compute_job_event();
    assert_eq!(
        jobs.field_with_name("_BilledSize").unwrap().data_type(),
        &DataType::Float64
    );
    assert_eq!(
        jobs.field_with_name("TFWorkerCount").unwrap().data_type(),
        &DataType::Utf8
    );
    let clusters = schema::aml_compute_cluster_event();
    for int in [
        "CoreCount",
        "TargetNodeCount",
        "NodeIdleTimeSecondsBeforeScaleDown",
    ] {
        assert_eq!(
            clusters.field_with_name(int).unwrap().data_type(),
            &DataType::Int32
        );
    }
    for string in [
        "PreemptedNodeCount",
        "QuotaAllocated",
        "QuotaUtilized",
        "IsResizeGrow",
    ] {
        assert_eq!(
            clusters.field_with_name(string).unwrap().data_type(),
            &DataType::Utf8
        );
    }
    let nodes = schema::aml_compute_cluster_node_event();
    assert_eq!(
        nodes
            .field_with_name("ClusterCreationTime")
            .unwrap()
            .data_type(),
        &DataType::Utf8
    );
    assert_eq!(
        nodes
            .field_with_name("TotalE2ETimeInSeconds")
            .unwrap()
            .data_type(),
        &DataType::Utf8
    );
    let traces = schema::traces();
    for f in traces.fields() {
        let dynamic = f.name() == "customDimensions" || f.name() == "customMeasurements";
        assert_eq!(schema::is_dynamic(f), dynamic, "{}", f.name());
        if dynamic {
            assert_eq!(f.metadata()["ARROW:extension:name"], "arrow.json");
        }
    }
    assert_eq!(
        traces.field_with_name("severityLevel").unwrap().data_type(),
        &DataType::Int32
    );
    assert_eq!(
        traces.field_with_name("itemCount").unwrap().data_type(),
        &DataType::Int32
    );
}

#[test]
fn row_counts_and_time_order() {
    for rows in [1, 2, 7, 100, 2000] {
        let mut cfg = config(rows);
        cfg.batch_rows = 500;
        for t in Table::ALL {
            let batches = generate_all(&cfg, t).unwrap();
            assert!(
                batches
                    .iter()
                    .all(|b| b.num_rows() <= 500 && b.num_rows() > 0)
            );
            let b = arrow::compute::concat_batches(&t.schema(), &batches).unwrap();
            assert_eq!(b.num_rows(), t.row_count(&cfg), "{} rows={rows}", t.name());
            let ts = times(&b, t.time_column());
            assert!(
                ts.windows(2).all(|w| w[0] <= w[1]),
                "{} not sorted",
                t.name()
            );
            let (first, last) = (ts[0], ts[ts.len() - 1]);
            assert!(first >= now_ns() - 10 * DAY - 1, "{} too old", t.name());
            assert!(last < now_ns(), "{} in the future", t.name());
            assert!(
                last > now_ns() - 10 * 60 * 1_000_000_000,
                "{} newest too old",
                t.name()
            );
            assert!(ts.iter().all(|t| t % 100 == 0), "sub-tick timestamps");
        }
    }
}

#[test]
fn zero_rows_is_an_error() {
    let err = generate_all(&config(0), Table::Traces).err().unwrap();
    assert!(err.to_string().contains("rows"), "{err}");
}

#[test]
fn deterministic_batches_and_files() {
    let cfg = config(3000);
    for t in Table::ALL {
        assert_eq!(
            generate_all(&cfg, t).unwrap(),
            generate_all(&cfg, t).unwrap()
        );
    }
    let (a, b) = (temp_dir("det-a"), temp_dir("det-b"));
    let both = Formats {
        jsonl: true,
        parquet: true,
    };
    for t in Table::ALL {
        write_table(&cfg, t, &a, both).unwrap();
        write_table(&cfg, t, &b, both).unwrap();
        for ext in ["jsonl", "parquet"] {
            let file = format!("{}.{ext}", t.name());
            let (x, y) = (
                std::fs::read(a.join(&file)).unwrap(),
                std::fs::read(b.join(&file)).unwrap(),
            );
            assert!(!x.is_empty());
            assert!(x == y, "{file} differs between runs");
        }
    }
    // A different seed changes the data.
    let other = GenConfig::new(3000, 7, now());
    assert_ne!(
        generate_all(&cfg, Table::Traces).unwrap(),
        generate_all(&other, Table::Traces).unwrap()
    );
    let _ = std::fs::remove_dir_all(a);
    let _ = std::fs::remove_dir_all(b);
}

struct JobRows {
    events: Vec<(i64, String)>,
    cluster: HashSet<String>,
}

fn jobs_by_id(b: &RecordBatch) -> HashMap<String, JobRows> {
    let (ids, events, clusters, ts) = (
        strings(b, "JobId"),
        strings(b, "EventType"),
        strings(b, "ClusterName"),
        times(b, "TimeGenerated"),
    );
    let mut jobs: HashMap<String, JobRows> = HashMap::new();
    for i in 0..b.num_rows() {
        let j = jobs.entry(ids[i].clone()).or_insert_with(|| JobRows {
            events: vec![],
            cluster: HashSet::new(),
        });
        j.events.push((ts[i], events[i].clone()));
        j.cluster.insert(clusters[i].clone());
    }
    jobs
}

#[test]
fn jobs_progress_and_fail_about_ten_percent() {
    let cfg = config(6000);
    let b = table(&cfg, Table::AmlComputeJobEvent);
    let jobs = jobs_by_id(&b);
    assert_eq!(jobs.len(), 2000);
    let mut failed = 0;
    for (id, j) in &jobs {
        assert_eq!(j.cluster.len(), 1, "{id} changes cluster");
        let kinds: Vec<&str> = j.events.iter().map(|(_, e)| e.as_str()).collect();
        assert_eq!(kinds[..2], ["JobSubmitted", "JobRunning"], "{id}");
        assert!(
            j.events.windows(2).all(|w| w[0].0 < w[1].0),
            "{id} times not increasing"
        );
        match kinds[2] {
            "JobFailed" => failed += 1,
            "JobSucceeded" => {}
            other => panic!("{id}: unexpected {other}"),
        }
    }
    let ratio = f64::from(failed) / jobs.len() as f64;
    assert!((0.05..=0.15).contains(&ratio), "failure ratio {ratio}");

    let (event, state, op, node, msg, details, tool) = (
        strings(&b, "EventType"),
        strings(&b, "ExecutionState"),
        strings(&b, "OperationName"),
        strings(&b, "NodeId"),
        strings(&b, "JobErrorMessage"),
        strings(&b, "ErrorDetails"),
        strings(&b, "ToolType"),
    );
    let tools = [
        "cntk",
        "tensorflow",
        "caffe",
        "caffe2",
        "chainer",
        "horovod",
        "custommpi",
        "custom",
    ];
    let mut messages = HashSet::new();
    for i in 0..b.num_rows() {
        assert_eq!(event[i], op[i]);
        let expected_state = match event[i].as_str() {
            "JobSubmitted" => "Queued",
            "JobRunning" => "Running",
            "JobSucceeded" => "Succeeded",
            _ => "Failed",
        };
        assert_eq!(state[i], expected_state);
        assert_eq!(node[i].is_empty(), event[i] == "JobSubmitted");
        let failed_row = event[i] == "JobFailed";
        assert_eq!(!msg[i].is_empty(), failed_row);
        assert_eq!(!details[i].is_empty(), failed_row);
        if failed_row {
            messages.insert(msg[i].clone());
        }
        assert!(tools.contains(&tool[i].as_str()), "{}", tool[i]);
    }
    assert!(
        messages.len() >= 8,
        "only {} distinct error messages",
        messages.len()
    );
}

#[test]
fn resource_ids_name_their_workspace() {
    let cfg = config(2000);
    let jobs = table(&cfg, Table::AmlComputeJobEvent);
    let (rid, ws, sub, csub, rg) = (
        strings(&jobs, "_ResourceId"),
        strings(&jobs, "WorkspaceName"),
        strings(&jobs, "_SubscriptionId"),
        strings(&jobs, "CustomerSubscriptionId"),
        strings(&jobs, "ResourceGroupName"),
    );
    let mut workspaces = HashSet::new();
    for i in 0..jobs.num_rows() {
        let parts: Vec<&str> = rid[i].split('/').collect();
        assert_eq!(parts.len(), 9, "{}", rid[i]);
        assert_eq!(rid[i], rid[i].to_lowercase());
        assert_eq!(parts[1], "subscriptions");
        assert_eq!(parts[2], sub[i]);
        assert_eq!(parts[4], rg[i]);
        assert_eq!(parts[6], "microsoft.machinelearningservices");
        assert_eq!(parts[8], ws[i]);
        assert_eq!(sub[i], csub[i]);
        workspaces.insert(ws[i].clone());
    }
    assert_eq!(
        workspaces,
        HashSet::from(["ws-prod", "ws-dev", "ws-research"].map(String::from))
    );

    let clusters = table(&cfg, Table::AmlComputeClusterEvent);
    let workspaces: HashSet<String> = strings(&clusters, "_ResourceId")
        .iter()
        .map(|r| r.split('/').nth(8).unwrap().to_string())
        .collect();
    assert_eq!(workspaces.len(), 3);
    let types: HashSet<String> = strings(&clusters, "ClusterType").into_iter().collect();
    assert!(types.contains("DSI") && types.contains("AmlCompute"));
    let sizes: HashSet<String> = strings(&clusters, "VmSize").into_iter().collect();
    for size in [
        "STANDARD_D1_V2",
        "STANDARD_NC6",
        "STANDARD_DS3_V2",
        "STANDARD_NC24",
    ] {
        assert!(sizes.contains(size), "{size} missing");
    }
    let priorities: HashSet<String> = strings(&clusters, "VmPriority").into_iter().collect();
    assert_eq!(
        priorities,
        HashSet::from(["Dedicated".to_string(), "LowPriority".to_string()])
    );
    let events: HashSet<String> = strings(&clusters, "EventType").into_iter().collect();
    assert!(
        events.contains("CreateOperationCompleted") && events.contains("DeleteOperationCompleted")
    );
}

#[test]
fn cluster_counts_are_consistent() {
    let b = table(&config(5000), Table::AmlComputeClusterEvent);
    let current = ints(&b, "CurrentNodeCount");
    let target = ints(&b, "TargetNodeCount");
    let parts = [
        "IdleNodeCount",
        "RunningNodeCount",
        "PreparingNodeCount",
        "LeavingNodeCount",
        "UnusableNodeCount",
    ]
    .map(|c| ints(&b, c));
    let (min, max) = (ints(&b, "MinimumNodeCount"), ints(&b, "MaximumNodeCount"));
    let (quota, preempted) = (
        strings(&b, "QuotaUtilized"),
        strings(&b, "PreemptedNodeCount"),
    );
    let mut growing = 0;
    for i in 0..b.num_rows() {
        let sum: i32 = parts.iter().map(|p| p[i]).sum();
        assert_eq!(sum, current[i], "row {i}");
        assert!(min[i] <= target[i] && target[i] <= max[i]);
        assert!(current[i] <= max[i]);
        quota[i].parse::<i32>().unwrap();
        preempted[i].parse::<i32>().unwrap();
        growing += i32::from(target[i] > current[i]);
    }
    assert!(
        growing > 0,
        "no row with TargetNodeCount > CurrentNodeCount"
    );

    let n = table(&config(5000), Table::AmlComputeClusterNodeEvent);
    let order = [
        "ResizeStartTime",
        "NodeAllocationTime",
        "NodeBootTime",
        "StartTaskStartTime",
        "StartTaskEndTime",
        "TimeGenerated",
    ]
    .map(|c| times(&n, c));
    let e2e = strings(&n, "TotalE2ETimeInSeconds");
    let created = strings(&n, "ClusterCreationTime");
    for i in 0..n.num_rows() {
        for w in order.windows(2) {
            assert!(w[0][i] < w[1][i], "node row {i} out of order");
        }
        assert!(e2e[i].parse::<f64>().unwrap() > 0.0);
        let c = DateTime::parse_from_rfc3339(&created[i]).unwrap();
        assert!(c.timestamp_nanos_opt().unwrap() < order[1][i]);
    }
}

/// Parsed `customDimensions` of every trace, with the trace's parent run and severity.
fn trace_dims(b: &RecordBatch) -> Vec<(serde_json::Map<String, serde_json::Value>, i32)> {
    let dims = strings(b, "customDimensions");
    let sev = ints(b, "severityLevel");
    dims.iter()
        .zip(sev)
        .map(|(d, s)| match serde_json::from_str(d).unwrap() {
            serde_json::Value::Object(m) => (m, s),
            other => panic!("customDimensions is not an object: {other}"),
        })
        .collect()
}

fn level_of(m: &serde_json::Map<String, serde_json::Value>) -> &str {
    m.get("Level")
        .or_else(|| m.get("level"))
        .unwrap()
        .as_str()
        .unwrap()
}

#[test]
fn failed_jobs_have_error_traces() {
    let cfg = config(6000);
    let jobs = table(&cfg, Table::AmlComputeJobEvent);
    let traces = table(&cfg, Table::Traces);
    let dims = trace_dims(&traces);
    let mut errors_by_run: HashMap<String, usize> = HashMap::new();
    let mut runs = HashSet::new();
    for (m, _) in &dims {
        let run = m["parent_run_id"].as_str().unwrap().to_string();
        if level_of(m) == "ERROR" {
            *errors_by_run.entry(run.clone()).or_default() += 1;
        }
        runs.insert(run);
    }
    let ids: HashSet<String> = strings(&jobs, "JobId").into_iter().collect();
    assert!(
        runs.is_subset(&ids),
        "traces name runs that have no job events"
    );
    let (id, event) = (strings(&jobs, "JobId"), strings(&jobs, "EventType"));
    let failed: Vec<&String> = (0..jobs.num_rows())
        .filter(|&i| event[i] == "JobFailed")
        .map(|i| &id[i])
        .collect();
    assert!(!failed.is_empty());
    let mut several = 0;
    for run in &failed {
        let n = errors_by_run.get(*run).copied().unwrap_or(0);
        assert!(n >= 1, "failed job {run} has no ERROR trace");
        several += usize::from(n >= 2);
    }
    assert!(
        several * 10 >= failed.len() * 8,
        "most failed jobs should have several ERROR traces"
    );
}

#[test]
fn traces_carry_custom_dimensions_in_both_level_casings() {
    let cfg = config(6000);
    let traces = table(&cfg, Table::Traces);
    let dims = trace_dims(&traces);
    let (mut upper, mut lower, mut both, mut builds) = (0, 0, 0, 0);
    let mut run_types: HashMap<String, usize> = HashMap::new();
    for (m, sev) in &dims {
        for key in [
            "parent_run_id",
            "step_id",
            "step_name",
            "experiment_name",
            "run_url",
            "run_type",
        ] {
            assert!(
                m.get(key)
                    .and_then(|v| v.as_str())
                    .is_some_and(|v| !v.is_empty()),
                "{key} missing"
            );
        }
        match (m.contains_key("Level"), m.contains_key("level")) {
            (true, true) => {
                both += 1;
                assert_eq!(m["Level"], m["level"]);
            }
            (true, false) => upper += 1,
            (false, true) => lower += 1,
            (false, false) => panic!("no level key"),
        }
        let expected = match level_of(m) {
            "DEBUG" => 0,
            "INFO" => 1,
            "WARNING" => 2,
            "ERROR" => 3,
            "CRITICAL" => 4,
            other => panic!("level {other}"),
        };
        assert_eq!(*sev, expected);
        builds += usize::from(m.contains_key("build_url") && m.contains_key("build_version"));
        *run_types
            .entry(m["run_type"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    let n = dims.len();
    assert!(
        upper > n / 2,
        "Level should be the most common key ({upper}/{n})"
    );
    assert!(
        lower > n / 5,
        "level should be a sizeable minority ({lower}/{n})"
    );
    assert!(
        both > 0 && both < n / 10,
        "a few rows carry both ({both}/{n})"
    );
    assert!(builds > 0 && builds < n);
    assert!(run_types["training"] > n / 2, "{run_types:?}");
    assert!(run_types.contains_key("pipeline") && run_types.contains_key("inference"));
}

#[test]
fn traces_fall_within_their_jobs() {
    let cfg = config(3000);
    let jobs = table(&cfg, Table::AmlComputeJobEvent);
    let mut span: HashMap<String, (i64, i64)> = HashMap::new();
    for (id, t) in strings(&jobs, "JobId")
        .into_iter()
        .zip(times(&jobs, "TimeGenerated"))
    {
        let e = span.entry(id).or_insert((t, t));
        e.0 = e.0.min(t);
        e.1 = e.1.max(t);
    }
    let traces = table(&cfg, Table::Traces);
    let ts = times(&traces, "timestamp");
    for ((m, _), t) in trace_dims(&traces).iter().zip(ts) {
        let (from, to) = span[m["parent_run_id"].as_str().unwrap()];
        assert!(
            from <= t && t <= to + 2_000_000_000,
            "trace outside its job"
        );
    }
}

#[test]
fn rows_the_documented_queries_look_for() {
    for rows in [300, 2000, 20_000] {
        let cfg = config(rows);
        let now = now_ns();
        let jobs = table(&cfg, Table::AmlComputeJobEvent);
        let (name, event, tg) = (
            strings(&jobs, "JobName"),
            strings(&jobs, "EventType"),
            times(&jobs, "TimeGenerated"),
        );
        let automl: Vec<usize> = (0..jobs.num_rows())
            .filter(|&i| name[i] == "automl_a9940991-dedb-4262-9763-2fd08b79d8fb_setup")
            .collect();
        assert_eq!(automl.len(), 3, "rows={rows}");
        assert!(automl.iter().all(|&i| tg[i] > now - 5 * DAY));
        assert!((0..jobs.num_rows()).any(|i| event[i] == "JobFailed" && tg[i] > now - 5 * DAY));

        let traces = table(&cfg, Table::Traces);
        let fixed = trace_dims(&traces)
            .iter()
            .filter(|(m, _)| m["parent_run_id"] == "931024c2-3720-11ea-b247-c49deda841c1")
            .count();
        assert!(
            fixed >= 3,
            "rows={rows}: {fixed} traces of the fixed parent run"
        );
        assert!(
            strings(&jobs, "JobId").contains(&"931024c2-3720-11ea-b247-c49deda841c1".to_string())
        );
        let recent_errors = trace_dims(&traces)
            .iter()
            .zip(times(&traces, "timestamp"))
            .filter(|((m, _), t)| {
                m.get("Level").is_some_and(|l| l == "ERROR") && *t > now - 7 * DAY
            })
            .count();
        assert!(recent_errors > 0);

        let clusters = table(&cfg, Table::AmlComputeClusterEvent);
        let (size, ct) = (
            strings(&clusters, "VmSize"),
            times(&clusters, "TimeGenerated"),
        );
        assert!(
            (0..clusters.num_rows()).any(|i| size[i] == "STANDARD_D1_V2" && ct[i] > now - 4 * DAY)
        );
        assert!(ct.iter().any(|&t| t > now - DAY));

        let nodes = table(&cfg, Table::AmlComputeClusterNodeEvent);
        let (alloc, nt) = (
            times(&nodes, "NodeAllocationTime"),
            times(&nodes, "TimeGenerated"),
        );
        assert!((0..nodes.num_rows()).any(|i| alloc[i] > now - 8 * DAY && nt[i] > now - 8 * DAY));
    }
}

#[test]
fn json_lines_parse_back_with_every_column() {
    let cfg = config(1000);
    let dir = temp_dir("jsonl");
    let only_json = Formats {
        jsonl: true,
        parquet: false,
    };
    for t in Table::ALL {
        let (paths, rows) = write_table(&cfg, t, &dir, only_json).unwrap();
        assert_eq!(rows, t.row_count(&cfg));
        let text = std::fs::read_to_string(&paths[0]).unwrap();
        let schema = t.schema();
        let mut lines = 0;
        for line in text.lines() {
            lines += 1;
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let obj = v.as_object().unwrap();
            assert_eq!(obj.len(), schema.fields().len());
            for f in schema.fields() {
                let value = obj
                    .get(f.name())
                    .unwrap_or_else(|| panic!("{} missing", f.name()));
                match f.data_type() {
                    DataType::Utf8 if schema::is_dynamic(f) => {
                        assert!(
                            value.is_object() || value.is_null(),
                            "{}: {value}",
                            f.name()
                        )
                    }
                    DataType::Utf8 => assert!(value.is_string(), "{}: {value}", f.name()),
                    DataType::Int32 => assert!(value.is_i64(), "{}: {value}", f.name()),
                    DataType::Float64 => assert!(value.is_number(), "{}: {value}", f.name()),
                    DataType::Timestamp(..) => {
                        let s = value.as_str().unwrap();
                        assert_eq!(s.len(), 28, "{s}");
                        assert!(s.ends_with('Z'));
                        DateTime::parse_from_rfc3339(s).unwrap();
                    }
                    other => panic!("unexpected type {other}"),
                }
            }
        }
        assert_eq!(lines, rows);
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn parquet_round_trips_sorted_with_row_groups() {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let cfg = config(300_000);
    let dir = temp_dir("parquet");
    let only_parquet = Formats {
        jsonl: false,
        parquet: true,
    };
    let (paths, rows) = write_table(&cfg, Table::AmlComputeJobEvent, &dir, only_parquet).unwrap();
    let file = std::fs::File::open(&paths[0]).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let meta = builder.metadata().clone();
    assert_eq!(meta.num_row_groups(), rows.div_ceil(128 * 1024));
    let rg = meta.row_group(0);
    assert_eq!(rg.sorting_columns().unwrap()[0].column_idx, 28);
    let read: usize = builder
        .build()
        .unwrap()
        .map(|b| b.unwrap().num_rows())
        .sum();
    assert_eq!(read, rows);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn committed_sample_is_current() {
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/sample");
    let dir = temp_dir("sample");
    let cfg = GenConfig::new(2000, 42, now());
    let only_json = Formats {
        jsonl: true,
        parquet: false,
    };
    for t in Table::ALL {
        write_table(&cfg, t, &dir, only_json).unwrap();
        let file = format!("{}.jsonl", t.name());
        let fresh = std::fs::read(dir.join(&file)).unwrap();
        let committed = std::fs::read(sample.join(&file)).unwrap();
        assert!(
            fresh == committed,
            "testdata/sample/{file} is stale: regenerate it with the command in testdata/sample/README.md"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}
