//! Arrow schemas of the generated tables, column for column as the Azure Monitor table reference
//! lists them (see `shared/design/TABLES.md`), with KQL types mapped as the engine maps them.
//!
//! Every column is nullable: real exports do contain nulls (e.g. `customMeasurements`), and a
//! reader that merges these files with real data must not reject them.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};

/// Field metadata key that marks an Arrow extension type.
pub const EXTENSION_NAME_KEY: &str = "ARROW:extension:name";
/// The canonical Arrow extension for JSON text: how a Utf8 column says it holds KQL `dynamic`.
pub const JSON_EXTENSION: &str = "arrow.json";

/// The KQL types used by these tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KqlType {
    Int,
    Long,
    Real,
    String,
    Datetime,
    Dynamic,
}

impl KqlType {
    pub fn data_type(self) -> DataType {
        match self {
            KqlType::Int => DataType::Int32,
            KqlType::Long => DataType::Int64,
            KqlType::Real => DataType::Float64,
            KqlType::String | KqlType::Dynamic => DataType::Utf8,
            KqlType::Datetime => DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
        }
    }
}

/// Whether a field holds KQL `dynamic` (JSON text marked with the `arrow.json` extension).
pub fn is_dynamic(field: &Field) -> bool {
    field
        .metadata()
        .get(EXTENSION_NAME_KEY)
        .is_some_and(|v| v == JSON_EXTENSION)
}

fn field(name: &str, ty: KqlType) -> Field {
    let f = Field::new(name, ty.data_type(), true);
    match ty {
        KqlType::Dynamic => f.with_metadata(HashMap::from([(
            EXTENSION_NAME_KEY.to_string(),
            JSON_EXTENSION.to_string(),
        )])),
        _ => f,
    }
}

fn build(columns: &[(&str, KqlType)]) -> SchemaRef {
    Arc::new(Schema::new(
        columns
            .iter()
            .map(|(name, ty)| field(name, *ty))
            .collect::<Vec<_>>(),
    ))
}

use KqlType::{Datetime as D, Dynamic as Dyn, Int as I, Real as R, String as S};

pub(crate) const JOB_EVENT_COLUMNS: &[(&str, KqlType)] = &[
    ("_BilledSize", R),
    ("ClusterId", S),
    ("ClusterName", S),
    ("ClusterResourceGroupName", S),
    ("CreationApiVersion", S),
    ("CustomerSubscriptionId", S),
    ("ErrorDetails", S),
    ("EventType", S),
    ("ExecutionState", S),
    ("ExperimentId", S),
    ("ExperimentName", S),
    ("InternalOperationName", S),
    ("_IsBillable", S),
    ("JobErrorMessage", S),
    ("JobId", S),
    ("JobName", S),
    ("NodeId", S),
    ("OperationName", S),
    ("ProvisioningState", S),
    ("ResourceGroupName", S),
    ("_ResourceId", S),
    ("ResultSignature", S),
    ("RunInContainer", S),
    ("SourceSystem", S),
    ("_SubscriptionId", S),
    ("TenantId", S),
    ("TFParameterServerCount", S),
    ("TFWorkerCount", S),
    ("TimeGenerated", D),
    ("ToolType", S),
    ("Type", S),
    ("WorkspaceName", S),
];

pub(crate) const CLUSTER_EVENT_COLUMNS: &[(&str, KqlType)] = &[
    ("AllocationState", S),
    ("AllocationStateTransitionTime", D),
    ("_BilledSize", R),
    ("ClusterErrorCodes", S),
    ("ClusterName", S),
    ("ClusterType", S),
    ("CoreCount", I),
    ("CreatedBy", S),
    ("CreationApiVersion", S),
    ("CurrentNodeCount", I),
    ("EventType", S),
    ("IdleNodeCount", I),
    ("InitialNodeCount", I),
    ("InternalOperationName", S),
    ("_IsBillable", S),
    ("IsResizeGrow", S),
    ("LeavingNodeCount", I),
    ("MaximumNodeCount", I),
    ("MinimumNodeCount", I),
    ("NodeDeallocationOption", S),
    ("NodeIdleTimeSecondsBeforeScaleDown", I),
    ("Offer", S),
    ("OperationName", S),
    ("PreemptedNodeCount", S),
    ("PreparingNodeCount", I),
    ("ProvisioningState", S),
    ("Publisher", S),
    ("QuotaAllocated", S),
    ("QuotaUtilized", S),
    ("_ResourceId", S),
    ("ResultSignature", S),
    ("RunningNodeCount", I),
    ("ScalingType", S),
    ("Sku", S),
    ("SourceSystem", S),
    ("SubnetId", S),
    ("_SubscriptionId", S),
    ("TargetNodeCount", I),
    ("TenantId", S),
    ("TimeGenerated", D),
    ("Type", S),
    ("UnusableNodeCount", I),
    ("Version", S),
    ("VmFamilyName", S),
    ("VmPriority", S),
    ("VmSize", S),
];

pub(crate) const NODE_EVENT_COLUMNS: &[(&str, KqlType)] = &[
    ("_BilledSize", R),
    ("ClusterCreationTime", S),
    ("ClusterName", S),
    ("InternalOperationName", S),
    ("_IsBillable", S),
    ("NodeAllocationTime", D),
    ("NodeBootTime", D),
    ("NodeId", S),
    ("Offer", S),
    ("OperationName", S),
    ("Publisher", S),
    ("ResizeEndTime", D),
    ("ResizeStartTime", D),
    ("ResultSignature", S),
    ("Sku", S),
    ("SourceSystem", S),
    ("StartTaskEndTime", D),
    ("StartTaskStartTime", D),
    ("TenantId", S),
    ("TimeGenerated", D),
    ("TotalE2ETimeInSeconds", S),
    ("Type", S),
    ("Version", S),
    ("VmFamilyName", S),
    ("VmPriority", S),
    ("VmSize", S),
];

/// Classic Application Insights `traces`, 31 columns in physical (getschema/REST) order. The
/// optional 32nd `_ResourceId` one schema list adds is left out: classic data has `appName`.
pub(crate) const TRACES_COLUMNS: &[(&str, KqlType)] = &[
    ("timestamp", D),
    ("message", S),
    ("severityLevel", I),
    ("itemType", S),
    ("customDimensions", Dyn),
    ("customMeasurements", Dyn),
    ("operation_Name", S),
    ("operation_Id", S),
    ("operation_ParentId", S),
    ("operation_SyntheticSource", S),
    ("session_Id", S),
    ("user_Id", S),
    ("user_AuthenticatedId", S),
    ("user_AccountId", S),
    ("application_Version", S),
    ("client_Type", S),
    ("client_Model", S),
    ("client_OS", S),
    ("client_IP", S),
    ("client_City", S),
    ("client_StateOrProvince", S),
    ("client_CountryOrRegion", S),
    ("client_Browser", S),
    ("cloud_RoleName", S),
    ("cloud_RoleInstance", S),
    ("appId", S),
    ("appName", S),
    ("iKey", S),
    ("sdkVersion", S),
    ("itemId", S),
    ("itemCount", I),
];

static JOB_EVENT: LazyLock<SchemaRef> = LazyLock::new(|| build(JOB_EVENT_COLUMNS));
static CLUSTER_EVENT: LazyLock<SchemaRef> = LazyLock::new(|| build(CLUSTER_EVENT_COLUMNS));
static NODE_EVENT: LazyLock<SchemaRef> = LazyLock::new(|| build(NODE_EVENT_COLUMNS));
static TRACES: LazyLock<SchemaRef> = LazyLock::new(|| build(TRACES_COLUMNS));

/// `AmlComputeJobEvent`, 32 columns.
pub fn aml_compute_job_event() -> SchemaRef {
    Arc::clone(&JOB_EVENT)
}

/// `AmlComputeClusterEvent`, 46 columns.
pub fn aml_compute_cluster_event() -> SchemaRef {
    Arc::clone(&CLUSTER_EVENT)
}

/// `AmlComputeClusterNodeEvent`, 26 columns (no `_ResourceId`/`_SubscriptionId`, as documented).
pub fn aml_compute_cluster_node_event() -> SchemaRef {
    Arc::clone(&NODE_EVENT)
}

/// Classic Application Insights `traces`, 31 columns.
pub fn traces() -> SchemaRef {
    Arc::clone(&TRACES)
}
