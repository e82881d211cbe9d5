//! Azure Monitor tables and Azure exports: the documented schemas of the tables the engine knows
//! (so a file that lacks some columns still gets every documented column with its documented
//! type), and the mapping of diagnostic-settings records (`time`, `resourceId`, `category`,
//! `properties`, …) to those columns (`shared/design/TABLES.md` §9.1–9.2).
//!
//! One copy of each schema: the four tables the generator writes come from
//! [`kql_datagen::Table::schema`]; the others the generator does not know are listed here.

use std::borrow::Cow;

use kql_functions::KqlType;
use kql_planner::KqlColumn;

use super::object::Object;

/// Documented tables the generator does not write, as `(table, [(column, type)])`, columns in
/// the order of the Azure Monitor table reference.
const OTHER_TABLES: &[(&str, &[(&str, KqlType)])] = &[
    ("AmlComputeInstanceEvent", AML_COMPUTE_INSTANCE_EVENT),
    ("AmlRunEvent", AML_RUN_EVENT),
    ("AppTraces", APP_TRACES),
    ("AppExceptions", APP_EXCEPTIONS),
];

use KqlType::{Datetime as D, Dynamic as Dyn, Int as I, Real as R, String as S};

const AML_COMPUTE_INSTANCE_EVENT: &[(&str, KqlType)] = &[
    ("AadTenantId", S),
    ("AmlComputeInstanceName", S),
    ("_BilledSize", R),
    ("CorrelationId", S),
    ("Identity", Dyn),
    ("_IsBillable", S),
    ("Level", S),
    ("OperationName", S),
    ("_ResourceId", S),
    ("ResultType", S),
    ("SourceSystem", S),
    ("_SubscriptionId", S),
    ("TenantId", S),
    ("TimeGenerated", D),
    ("Type", S),
];

const AML_RUN_EVENT: &[(&str, KqlType)] = &[
    ("AadTenantId", S),
    ("AmlWorkspaceId", S),
    ("_BilledSize", R),
    ("Identity", Dyn),
    ("_IsBillable", S),
    ("OperationName", S),
    ("_ResourceId", S),
    ("RunId", S),
    ("SourceSystem", S),
    ("_SubscriptionId", S),
    ("TenantId", S),
    ("TimeGenerated", D),
    ("Type", S),
];

const APP_TRACES: &[(&str, KqlType)] = &[
    ("AppRoleInstance", S),
    ("AppRoleName", S),
    ("AppVersion", S),
    ("_BilledSize", R),
    ("ClientBrowser", S),
    ("ClientCity", S),
    ("ClientCountryOrRegion", S),
    ("ClientIP", S),
    ("ClientModel", S),
    ("ClientOS", S),
    ("ClientStateOrProvince", S),
    ("ClientType", S),
    ("IKey", S),
    ("_IsBillable", S),
    ("ItemCount", I),
    ("Measurements", Dyn),
    ("Message", S),
    ("OperationId", S),
    ("OperationName", S),
    ("ParentId", S),
    ("Properties", Dyn),
    ("ReferencedItemId", S),
    ("ReferencedType", S),
    ("ResourceGUID", S),
    ("_ResourceId", S),
    ("SDKVersion", S),
    ("SessionId", S),
    ("SeverityLevel", I),
    ("SourceSystem", S),
    ("_SubscriptionId", S),
    ("SyntheticSource", S),
    ("TenantId", S),
    ("TimeGenerated", D),
    ("Type", S),
    ("UserAccountId", S),
    ("UserAuthenticatedId", S),
    ("UserId", S),
];

const APP_EXCEPTIONS: &[(&str, KqlType)] = &[
    ("AppRoleInstance", S),
    ("AppRoleName", S),
    ("AppVersion", S),
    ("Assembly", S),
    ("_BilledSize", R),
    ("ClientBrowser", S),
    ("ClientCity", S),
    ("ClientCountryOrRegion", S),
    ("ClientIP", S),
    ("ClientModel", S),
    ("ClientOS", S),
    ("ClientStateOrProvince", S),
    ("ClientType", S),
    ("Details", Dyn),
    ("ExceptionType", S),
    ("HandledAt", S),
    ("IKey", S),
    ("InnermostAssembly", S),
    ("InnermostMessage", S),
    ("InnermostMethod", S),
    ("InnermostType", S),
    ("_IsBillable", S),
    ("ItemCount", I),
    ("Measurements", Dyn),
    ("Message", S),
    ("Method", S),
    ("OperationId", S),
    ("OperationName", S),
    ("OuterAssembly", S),
    ("OuterMessage", S),
    ("OuterMethod", S),
    ("OuterType", S),
    ("ParentId", S),
    ("ProblemId", S),
    ("Properties", Dyn),
    ("ResourceGUID", S),
    ("_ResourceId", S),
    ("SDKVersion", S),
    ("SessionId", S),
    ("SeverityLevel", I),
    ("SourceSystem", S),
    ("_SubscriptionId", S),
    ("SyntheticSource", S),
    ("TenantId", S),
    ("TimeGenerated", D),
    ("Type", S),
    ("UserAccountId", S),
    ("UserAuthenticatedId", S),
    ("UserId", S),
];

/// The names of every table with a documented schema.
pub fn azure_tables() -> Vec<&'static str> {
    kql_datagen::Table::ALL
        .iter()
        .map(|t| t.name())
        .chain(OTHER_TABLES.iter().map(|(name, _)| *name))
        .collect()
}

/// The documented schema of an Azure Monitor table (exact name), in the order of the table
/// reference; `None` for tables the engine does not know.
pub fn azure_schema(name: &str) -> Option<Vec<KqlColumn>> {
    if let Some(table) = kql_datagen::Table::from_name(name) {
        return table
            .schema()
            .fields()
            .iter()
            .map(|f| KqlType::from_field(f).map(|ty| KqlColumn::new(f.name().clone(), ty)))
            .collect();
    }
    OTHER_TABLES
        .iter()
        .find(|(table, _)| *table == name)
        .map(|(_, columns)| {
            columns
                .iter()
                .map(|(column, ty)| KqlColumn::new(*column, *ty))
                .collect()
        })
}

/// The spelling of a known table whose name matches `name` ignoring case: the storage
/// containers of diagnostic settings are lower-case (`insights-logs-amlcomputejobevent`).
pub fn azure_table_name(name: &str) -> Option<&'static str> {
    azure_tables()
        .into_iter()
        .find(|t| t.eq_ignore_ascii_case(name))
}

/// Whether an object is a diagnostic-settings record rather than a row keyed by column name:
/// it has the two required fields `time` and `resourceId` and no `TimeGenerated`.
pub(super) fn is_diagnostic_record(object: &Object<'_>) -> bool {
    object.get("time").is_some()
        && object.get("resourceId").is_some()
        && object.get("TimeGenerated").is_none()
}

/// The `category` (or, for Application Insights, `Type`/`type`) of a diagnostic record: the
/// table it belongs to.
pub(super) fn record_category(object: &Object<'_>) -> Option<String> {
    ["category", "Type", "type"]
        .iter()
        .find_map(|k| object.get(k))
        .and_then(|raw| serde_json::from_str::<String>(raw).ok())
}

/// A record's fields as `(column, raw JSON)` pairs, per TABLES.md §9.1–9.2: `time` →
/// TimeGenerated, `resourceId` → _ResourceId (lower-cased, as Log Analytics stores it) and its
/// subscription → _SubscriptionId, `category` → Type, `operationName` → OperationName, the keys
/// of `properties` as columns, other top-level fields with their first letter upper-cased
/// (`resultType` → ResultType; Application Insights records are already flat and PascalCase),
/// and SourceSystem `Azure`. The first occurrence of a column wins.
pub(super) fn map_record<'a>(object: &Object<'a>) -> Vec<(Cow<'a, str>, Cow<'a, str>)> {
    let mut out: Vec<(Cow<'a, str>, Cow<'a, str>)> = Vec::with_capacity(object.len() + 8);
    let push = |out: &mut Vec<(Cow<'a, str>, Cow<'a, str>)>, k: Cow<'a, str>, v: Cow<'a, str>| {
        if !out.iter().any(|(have, _)| *have == k) {
            out.push((k, v));
        }
    };
    if let Some(time) = object.get("time") {
        push(&mut out, "TimeGenerated".into(), time.into());
    }
    if let Some(raw) = object.get("resourceId") {
        match serde_json::from_str::<String>(raw) {
            Ok(id) => {
                let lower = id.to_lowercase();
                if let Some(sub) = subscription_of(&lower) {
                    let sub = json_string(sub);
                    push(&mut out, "_ResourceId".into(), json_string(&lower).into());
                    push(&mut out, "_SubscriptionId".into(), sub.into());
                } else {
                    push(&mut out, "_ResourceId".into(), json_string(&lower).into());
                }
            }
            Err(_) => push(&mut out, "_ResourceId".into(), raw.into()),
        }
    }
    if let Some(category) = object.get("category") {
        push(&mut out, "Type".into(), category.into());
    }
    if let Some(op) = object.get("operationName") {
        push(&mut out, "OperationName".into(), op.into());
    }
    if let Some(properties) = object.get("properties") {
        match Object::parse(properties) {
            Ok(props) => {
                for (k, v) in props.into_fields() {
                    push(&mut out, k, v.into());
                }
            }
            Err(_) => push(&mut out, "Properties".into(), properties.into()),
        }
    }
    for (k, v) in object.fields() {
        match k.as_ref() {
            "time" | "resourceId" | "category" | "operationName" | "properties" => {}
            // Application Insights names the table `type` where other services say `category`.
            "type" => push(&mut out, "Type".into(), (*v).into()),
            _ => push(&mut out, capitalized(k), (*v).into()),
        }
    }
    push(&mut out, "SourceSystem".into(), "\"Azure\"".into());
    out
}

/// `/subscriptions/<id>/…` → `<id>`.
fn subscription_of(resource_id: &str) -> Option<&str> {
    let rest = resource_id.strip_prefix("/subscriptions/")?;
    let id = rest.split('/').next()?;
    (!id.is_empty()).then_some(id)
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

fn capitalized<'a>(key: &Cow<'a, str>) -> Cow<'a, str> {
    match key.chars().next() {
        Some(c) if c.is_ascii_lowercase() => {
            let mut s = String::with_capacity(key.len());
            s.push(c.to_ascii_uppercase());
            s.push_str(&key[1..]);
            Cow::Owned(s)
        }
        _ => key.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_schemas() {
        let job = azure_schema("AmlComputeJobEvent").unwrap();
        assert_eq!(job.len(), 32);
        assert_eq!(azure_schema("AppTraces").unwrap().len(), 37);
        assert_eq!(azure_schema("AppExceptions").unwrap().len(), 49);
        assert_eq!(azure_schema("AmlComputeInstanceEvent").unwrap().len(), 15);
        assert_eq!(azure_schema("AmlRunEvent").unwrap().len(), 13);
        let traces = azure_schema("traces").unwrap();
        assert_eq!(traces[4].ty, KqlType::Dynamic);
        assert!(azure_schema("Nope").is_none());
        assert_eq!(
            azure_table_name("amlcomputejobevent"),
            Some("AmlComputeJobEvent")
        );
        assert_eq!(azure_table_name("apptraces"), Some("AppTraces"));
    }

    #[test]
    fn maps_a_diagnostic_record() {
        let line = r#"{"time":"2024-05-01T10:02:03.000Z","resourceId":"/SUBSCRIPTIONS/AB-12/RESOURCEGROUPS/RG/PROVIDERS/X/WORKSPACES/WS","category":"AmlComputeJobEvent","operationName":"JobFailed","resultType":"Failed","properties":{"EventType":"JobFailed","ClusterName":"gpu"}}"#;
        let object = Object::parse(line).unwrap();
        assert!(is_diagnostic_record(&object));
        assert_eq!(
            record_category(&object).as_deref(),
            Some("AmlComputeJobEvent")
        );
        let fields: Vec<(String, String)> = map_record(&object)
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let get = |k: &str| {
            fields
                .iter()
                .find(|(have, _)| have == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("TimeGenerated"), Some("\"2024-05-01T10:02:03.000Z\""));
        assert_eq!(
            get("_ResourceId"),
            Some("\"/subscriptions/ab-12/resourcegroups/rg/providers/x/workspaces/ws\"")
        );
        assert_eq!(get("_SubscriptionId"), Some("\"ab-12\""));
        assert_eq!(get("Type"), Some("\"AmlComputeJobEvent\""));
        assert_eq!(get("OperationName"), Some("\"JobFailed\""));
        assert_eq!(get("EventType"), Some("\"JobFailed\""));
        assert_eq!(get("ResultType"), Some("\"Failed\""));
        assert_eq!(get("SourceSystem"), Some("\"Azure\""));
    }
}
