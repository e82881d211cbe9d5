#!/usr/bin/env python3
"""Writes samples.test: the nine documented sample queries and the failed-job diagnosis queries,
with expected results computed here, in plain Python over testdata/sample/*.jsonl, independently of
the engine. Run it after regenerating the sample: `python3 testdata/e2e/samples.py`.

now() is the sample's generation time, 2026-01-01T00:00:00Z (the e2e harness fixes it too).
"""
import datetime as dt
import json
import pathlib
import re

HERE = pathlib.Path(__file__).resolve().parent
SAMPLE = HERE.parent / "sample"
SCHEMA = HERE.parent.parent / "crates" / "kql-datagen" / "src" / "schema.rs"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
TICKS_PER_SECOND = 10_000_000
TICKS_PER_DAY = 86_400 * TICKS_PER_SECOND
NOW = (dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc) - EPOCH).days * TICKS_PER_DAY

# KQL type of every column, read from the generator's schema (the one source of them).
TYPE_NAMES = {"S": "string", "I": "int", "L": "long", "R": "real", "D": "datetime", "Dyn": "dynamic"}
TYPES = {name: TYPE_NAMES[t] for name, t in re.findall(r'\("([A-Za-z_]+)", (S|I|L|R|D|Dyn)\)', SCHEMA.read_text())}


def load(table):
    return [json.loads(line) for line in (SAMPLE / f"{table}.jsonl").read_text().splitlines() if line.strip()]


def ticks(text):
    """ISO 8601 UTC text to ticks since the epoch, exactly."""
    text = text.rstrip("Z")
    whole, _, fraction = text.partition(".")
    seconds = int((dt.datetime.fromisoformat(whole).replace(tzinfo=dt.timezone.utc) - EPOCH).total_seconds())
    return seconds * TICKS_PER_SECOND + int((fraction + "0000000")[:7])


def ago(days):
    return NOW - days * TICKS_PER_DAY


def fmt_datetime(t):
    seconds, frac = divmod(t, TICKS_PER_SECOND)
    out = (EPOCH + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S")
    if frac:
        out += "." + f"{frac:07d}".rstrip("0")
    return out + "Z"


def fmt_timespan(t):
    sign = "-" if t < 0 else ""
    t = abs(t)
    days, rem = divmod(t, TICKS_PER_DAY)
    hours, rem = divmod(rem, 3600 * TICKS_PER_SECOND)
    minutes, rem = divmod(rem, 60 * TICKS_PER_SECOND)
    seconds, frac = divmod(rem, TICKS_PER_SECOND)
    out = sign + (f"{days}." if days else "") + f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    return out + (f".{frac:07d}" if frac else "")


def fmt_real(v):
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def cell(value, kql_type):
    if value is None:
        return "" if kql_type == "string" else "null"
    if kql_type == "datetime":
        return fmt_datetime(ticks(value) if isinstance(value, str) else value)
    if kql_type == "timespan":
        return fmt_timespan(value)
    if kql_type == "dynamic":
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    if kql_type == "real":
        return fmt_real(value)
    if kql_type == "bool":
        return "true" if value else "false"
    return str(value)


def table(columns, rows):
    """columns: [(name, type)]; rows: [[value]] → the test's text form."""
    lines = [" | ".join(f"{n}:{t}" for n, t in columns)]
    lines += [" | ".join(cell(v, t) for v, (_, t) in zip(r, columns)) for r in rows]
    return "\n".join(lines)


def project(rows, names):
    return table([(n, TYPES[n]) for n in names], [[r.get(n) for n in names] for r in rows])


def dims(r):
    return r.get("customDimensions") or {}


J, C, N, T = (load(t) for t in ("AmlComputeJobEvent", "AmlComputeClusterEvent", "AmlComputeClusterNodeEvent", "traces"))
TRACE_COLUMNS = list(T[0].keys())
cases = []


def case(title, query, expected, ordered=False):
    cases.append(f"=== {title}\n{query.strip()}\n--- result{' ordered' if ordered else ''}\n{expected}\n")


def read_query(name):
    return (HERE.parent / "queries" / f"{name}.kql").read_text()


job_cols = ["TimeGenerated", "ClusterId", "EventType", "ExecutionState", "ToolType"]
case("q1 failed jobs in the last five days", read_query("q1_failed_jobs"),
     project([r for r in J if ticks(r["TimeGenerated"]) > ago(5) and r["EventType"] == "JobFailed"], job_cols))
case("q2 events of one job", read_query("q2_job_by_name"),
     project([r for r in J if r["JobName"] == "automl_a9940991-dedb-4262-9763-2fd08b79d8fb_setup"], job_cols))
case("q3 clusters of one VM size", read_query("q3_clusters_by_vm_size"),
     project([r for r in C if ticks(r["TimeGenerated"]) > ago(4) and r["VmSize"] == "STANDARD_D1_V2"],
             ["ClusterName", "InitialNodeCount", "MaximumNodeCount", "QuotaAllocated", "QuotaUtilized"]))
nodes = sorted({r["NodeId"] for r in N if ticks(r["TimeGenerated"]) > ago(8)
                and r.get("NodeAllocationTime") and ticks(r["NodeAllocationTime"]) > ago(8)})
case("q4 allocated nodes", read_query("q4_allocated_nodes"), table([("NodeId", "string")], [[n] for n in nodes]))

groups = {}
for r in C:
    if ticks(r["TimeGenerated"]) > ago(1):
        key = (r["_ResourceId"].split("/")[8], r["ClusterName"], r["ClusterType"], r["VmSize"], r["VmPriority"])
        groups.setdefault(key, []).append(r["TargetNodeCount"])
rows = []
for key, values in groups.items():
    present = [v for v in values if v is not None]
    avg = sum(present) / len(present) if present else None
    rows.append(list(key) + [avg, max(present) if present else None])
case("q5 running nodes per workspace and cluster", read_query("q5_running_nodes"),
     table([("Workspace", "string"), ("ClusterName", "string"), ("ClusterType", "string"), ("VmSize", "string"),
            ("VmPriority", "string"), ("avgRunningNodes", "real"), ("maxRunningNodes", "int")], rows))

case("q6 traces of one pipeline run", read_query("q6_traces_of_run"),
     project([r for r in T if dims(r).get("parent_run_id") == "931024c2-3720-11ea-b247-c49deda841c1"], TRACE_COLUMNS))
training = [r for r in T if ticks(r["timestamp"]) > ago(7) and dims(r).get("run_type") == "training"]
case("q7 training traces of the last week (their item ids)", read_query("q7_training_traces").strip() + "\n| project itemId",
     project(training, ["itemId"]))
errors = [r for r in T if ticks(r["timestamp"]) > ago(7) and dims(r).get("Level") == "ERROR"]
case("q8 error traces of the last week", read_query("q8_error_traces"), project(errors, TRACE_COLUMNS))
case("q9 count of error traces", read_query("q9_error_count"), table([("count_", "long")], [[len(errors)]]))

per_day = {}
for r in J:
    if r["EventType"] == "JobFailed":
        key = (r["ClusterName"], ticks(r["TimeGenerated"]) // TICKS_PER_DAY * TICKS_PER_DAY)
        per_day[key] = per_day.get(key, 0) + 1
case("d1 failed jobs per cluster per day", read_query("d1_failures_per_cluster_per_day"),
     table([("ClusterName", "string"), ("TimeGenerated", "datetime"), ("count_", "long")],
           [[c, t, n] for (c, t), n in per_day.items()]))

messages = {}
for r in errors:
    messages[r["message"]] = messages.get(r["message"], 0) + 1
# The query breaks ties by message, ascending (ordinal comparison, as Python's).
ranked = sorted(messages.items(), key=lambda kv: (-kv[1], kv[0]))
case("d2 top error messages of the last week", read_query("d2_top_error_messages"),
     table([("message", "string"), ("Count", "long")], [list(kv) for kv in ranked[:10]]), ordered=True)

failed = {}
for r in J:
    if r["EventType"] == "JobFailed":
        failed.setdefault(r["JobId"], r)  # innerunique keeps one left row per key
rows = []
for r in T:
    d = dims(r)
    if d.get("Level") == "ERROR" and d.get("parent_run_id") in failed:
        job = failed[d["parent_run_id"]]
        rows.append([job["JobId"], job["ClusterName"], job["JobErrorMessage"], r["message"]])
case("d3 error traces of failed jobs", read_query("d3_failed_jobs_with_error_traces"),
     table([("JobId", "string"), ("ClusterName", "string"), ("JobErrorMessage", "string"), ("message", "string")], rows))

submitted = {}
for r in J:
    if r["EventType"] == "JobSubmitted":
        submitted.setdefault(r["JobId"], []).append(ticks(r["TimeGenerated"]))
durations = []
for r in J:
    if r["EventType"] in ("JobSucceeded", "JobFailed"):
        end = ticks(r["TimeGenerated"])
        # innerunique: one Submitted row per JobId on the left... here the left is the end events.
        for start in submitted.get(r["JobId"], [])[:1]:
            durations.append([r["JobId"], r["JobName"], end, r["JobId"], start, end - start])
durations.sort(key=lambda row: -row[5])
assert len(durations) <= 5 or durations[4][5] != durations[5][5], "tie at the top-5 boundary"
case("d4 longest jobs from submit to finish", read_query("d4_job_durations"),
     table([("JobId", "string"), ("JobName", "string"), ("EndTime", "datetime"), ("JobId1", "string"),
            ("SubmitTime", "datetime"), ("Duration", "timespan")], durations[:5]), ordered=True)

header = ("# Generated by samples.py from testdata/sample/ and testdata/queries/: expected results computed\n"
          "# in plain Python, independently of the engine. Do not edit by hand; rerun the script.\n\n")
(HERE / "samples.test").write_text(header + "\n".join(cases))
print(f"wrote {len(cases)} cases")
