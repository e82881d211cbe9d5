//! The fixed vocabulary of the simulated world: workspaces, clusters, experiments, error
//! messages. Values marked VERIFIED in `TABLES.md` are used verbatim; the rest are plausible
//! stand-ins, kept in one place so they are easy to correct when real records turn up.

pub(crate) struct VmSpec {
    pub(crate) size: &'static str,
    pub(crate) family: &'static str,
    pub(crate) cores: i32,
    /// GPU model the training scripts report, if any.
    pub(crate) gpu: Option<&'static str>,
}

pub(crate) const VMS: &[VmSpec] = &[
    VmSpec {
        size: "STANDARD_D1_V2",
        family: "standardDv2Family",
        cores: 1,
        gpu: None,
    },
    VmSpec {
        size: "STANDARD_DS3_V2",
        family: "standardDSv2Family",
        cores: 4,
        gpu: None,
    },
    VmSpec {
        size: "STANDARD_NC6",
        family: "standardNCFamily",
        cores: 6,
        gpu: Some("Tesla K80"),
    },
    VmSpec {
        size: "STANDARD_NC24",
        family: "standardNCFamily",
        cores: 24,
        gpu: Some("Tesla K80"),
    },
];

pub(crate) struct WorkspaceSpec {
    pub(crate) name: &'static str,
    pub(crate) resource_group: &'static str,
    /// Where App Insights geolocates the workspace's compute (city, state, country).
    pub(crate) location: (&'static str, &'static str, &'static str),
    pub(crate) app_name: &'static str,
}

/// Three workspaces in two resource groups, so `split(_ResourceId, "/")[8]` has something to
/// group by and resource-group filters are not the same as workspace filters.
pub(crate) const WORKSPACES: &[WorkspaceSpec] = &[
    WorkspaceSpec {
        name: "ws-prod",
        resource_group: "rg-ml-prod",
        location: ("Boydton", "Virginia", "United States"),
        app_name: "appi-ws-prod",
    },
    WorkspaceSpec {
        name: "ws-dev",
        resource_group: "rg-ml-dev",
        location: ("Amsterdam", "North Holland", "Netherlands"),
        app_name: "appi-ws-dev",
    },
    WorkspaceSpec {
        name: "ws-research",
        resource_group: "rg-ml-dev",
        location: ("Quincy", "Washington", "United States"),
        app_name: "appi-ws-research",
    },
];

/// When a cluster exists relative to the ten-day window.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Lifecycle {
    /// Created long before the window, still there.
    Stable,
    /// Created at this fraction of the window (emits `CreateOperationCompleted`).
    CreatedAt(f64),
    /// Deleted at this fraction of the window (emits `DeleteOperationCompleted`).
    DeletedAt(f64),
}

pub(crate) struct ClusterSpec {
    pub(crate) name: &'static str,
    pub(crate) workspace: usize,
    pub(crate) vm: usize,
    pub(crate) priority: &'static str,
    /// `DSI` is a compute instance (VERIFIED); `AmlCompute` is a training cluster.
    pub(crate) cluster_type: &'static str,
    pub(crate) min_nodes: i32,
    pub(crate) max_nodes: i32,
    pub(crate) idle_seconds: i32,
    pub(crate) lifecycle: Lifecycle,
    /// Relative share of jobs and node events; 0 for clusters that never run jobs here.
    pub(crate) job_weight: u32,
    pub(crate) created_by: &'static str,
}

pub(crate) const DEDICATED: &str = "Dedicated";
pub(crate) const LOW_PRIORITY: &str = "LowPriority";

pub(crate) const CLUSTERS: &[ClusterSpec] = &[
    ClusterSpec {
        name: "cpu-cluster",
        workspace: 0,
        vm: 1,
        priority: DEDICATED,
        cluster_type: "AmlCompute",
        min_nodes: 0,
        max_nodes: 8,
        idle_seconds: 1800,
        lifecycle: Lifecycle::Stable,
        job_weight: 30,
        created_by: "mlops@contoso.com",
    },
    ClusterSpec {
        name: "gpu-cluster",
        workspace: 0,
        vm: 2,
        priority: DEDICATED,
        cluster_type: "AmlCompute",
        min_nodes: 0,
        max_nodes: 4,
        idle_seconds: 1800,
        lifecycle: Lifecycle::Stable,
        job_weight: 25,
        created_by: "mlops@contoso.com",
    },
    ClusterSpec {
        name: "gpu-cluster-lp",
        workspace: 0,
        vm: 3,
        priority: LOW_PRIORITY,
        cluster_type: "AmlCompute",
        min_nodes: 0,
        max_nodes: 10,
        idle_seconds: 120,
        lifecycle: Lifecycle::Stable,
        job_weight: 12,
        created_by: "mlops@contoso.com",
    },
    ClusterSpec {
        name: "cpu-small",
        workspace: 1,
        vm: 0,
        priority: DEDICATED,
        cluster_type: "AmlCompute",
        min_nodes: 0,
        max_nodes: 4,
        idle_seconds: 120,
        lifecycle: Lifecycle::Stable,
        job_weight: 15,
        created_by: "alice@contoso.com",
    },
    ClusterSpec {
        name: "ci-alice-dev",
        workspace: 1,
        vm: 1,
        priority: DEDICATED,
        cluster_type: "DSI",
        min_nodes: 0,
        max_nodes: 1,
        idle_seconds: 3600,
        lifecycle: Lifecycle::Stable,
        job_weight: 3,
        created_by: "alice@contoso.com",
    },
    ClusterSpec {
        name: "ci-bob-gpu",
        workspace: 1,
        vm: 2,
        priority: DEDICATED,
        cluster_type: "DSI",
        min_nodes: 0,
        max_nodes: 1,
        idle_seconds: 3600,
        lifecycle: Lifecycle::DeletedAt(0.6),
        job_weight: 0,
        created_by: "bob@contoso.com",
    },
    ClusterSpec {
        name: "research-nc24",
        workspace: 2,
        vm: 3,
        priority: DEDICATED,
        cluster_type: "AmlCompute",
        min_nodes: 0,
        max_nodes: 2,
        idle_seconds: 600,
        lifecycle: Lifecycle::Stable,
        job_weight: 8,
        created_by: "carol@contoso.com",
    },
    ClusterSpec {
        name: "d1-lowpri",
        workspace: 2,
        vm: 0,
        priority: LOW_PRIORITY,
        cluster_type: "AmlCompute",
        min_nodes: 0,
        max_nodes: 16,
        idle_seconds: 120,
        lifecycle: Lifecycle::Stable,
        job_weight: 10,
        created_by: "carol@contoso.com",
    },
    ClusterSpec {
        name: "ci-carol",
        workspace: 2,
        vm: 1,
        priority: DEDICATED,
        cluster_type: "DSI",
        min_nodes: 0,
        max_nodes: 1,
        idle_seconds: 3600,
        lifecycle: Lifecycle::CreatedAt(0.3),
        job_weight: 0,
        created_by: "carol@contoso.com",
    },
];

/// The cluster the `VmSize == "STANDARD_D1_V2"` seed query finds.
pub(crate) const D1_V2_CLUSTER: usize = 3;

/// What kind of run an experiment's jobs are: decides `customDimensions.run_type`, run id shape
/// and durations.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum RunKind {
    Training,
    Pipeline,
    Inference,
    AutoMl,
}

impl RunKind {
    /// The `customDimensions.run_type` value (AutoML runs are training runs).
    pub(crate) fn run_type(self) -> &'static str {
        match self {
            RunKind::Training | RunKind::AutoMl => "training",
            RunKind::Pipeline => "pipeline",
            RunKind::Inference => "inference",
        }
    }
}

pub(crate) struct ExperimentSpec {
    pub(crate) name: &'static str,
    pub(crate) workspace: usize,
    pub(crate) kind: RunKind,
    pub(crate) weight: u32,
    /// The entry script: opencensus names the cloud role after it.
    pub(crate) script: &'static str,
    pub(crate) steps: &'static [&'static str],
    pub(crate) model: &'static str,
}

pub(crate) const EXPERIMENTS: &[ExperimentSpec] = &[
    ExperimentSpec {
        name: "train-mnist",
        workspace: 0,
        kind: RunKind::Training,
        weight: 14,
        script: "train.py",
        steps: &["train"],
        model: "mnist-cnn",
    },
    ExperimentSpec {
        name: "bert-finetune",
        workspace: 0,
        kind: RunKind::Training,
        weight: 12,
        script: "finetune.py",
        steps: &["finetune"],
        model: "bert-base-sentiment",
    },
    ExperimentSpec {
        name: "churn-pipeline",
        workspace: 0,
        kind: RunKind::Pipeline,
        weight: 8,
        script: "step.py",
        steps: &[
            "prep_data",
            "train_model",
            "evaluate_model",
            "register_model",
        ],
        model: "churn-gbm",
    },
    ExperimentSpec {
        name: "automl-classification",
        workspace: 0,
        kind: RunKind::AutoMl,
        weight: 4,
        script: "automl_driver.py",
        steps: &["setup", "featurize", "train"],
        model: "automl-best",
    },
    ExperimentSpec {
        name: "image-classifier",
        workspace: 1,
        kind: RunKind::Training,
        weight: 10,
        script: "train.py",
        steps: &["train"],
        model: "resnet50-products",
    },
    ExperimentSpec {
        name: "forecast-demand",
        workspace: 1,
        kind: RunKind::Pipeline,
        weight: 6,
        script: "pipeline_step.py",
        steps: &[
            "ingest",
            "feature_engineering",
            "train_forecaster",
            "backtest",
        ],
        model: "demand-prophet",
    },
    ExperimentSpec {
        name: "batch-scoring",
        workspace: 1,
        kind: RunKind::Inference,
        weight: 7,
        script: "score.py",
        steps: &["batch_score"],
        model: "churn-gbm",
    },
    ExperimentSpec {
        name: "fraud-detection",
        workspace: 2,
        kind: RunKind::Training,
        weight: 9,
        script: "train.py",
        steps: &["train"],
        model: "fraud-xgb",
    },
    ExperimentSpec {
        name: "llm-eval",
        workspace: 2,
        kind: RunKind::Inference,
        weight: 3,
        script: "evaluate.py",
        steps: &["evaluate"],
        model: "llm-judge",
    },
    ExperimentSpec {
        name: "rl-sweep",
        workspace: 2,
        kind: RunKind::Pipeline,
        weight: 4,
        script: "sweep_step.py",
        steps: &["sample_params", "train_agent", "collect_results"],
        model: "ppo-agent",
    },
];

/// The AutoML setup run the seed query looks up by `JobName`.
pub(crate) const FIXED_AUTOML_JOB: &str = "automl_a9940991-dedb-4262-9763-2fd08b79d8fb_setup";
pub(crate) const FIXED_AUTOML_EXPERIMENT: usize = 3;
/// The parent run id the seed `traces` query looks up.
pub(crate) const FIXED_PARENT_RUN_ID: &str = "931024c2-3720-11ea-b247-c49deda841c1";
pub(crate) const FIXED_PARENT_EXPERIMENT: usize = 2;

/// Batch AI `ToolType` enum values (lower-case, as the enum spells them), with how common each is.
pub(crate) const TOOL_TYPES: &[(&str, u32)] = &[
    ("custom", 60),
    ("tensorflow", 10),
    ("horovod", 8),
    ("custommpi", 8),
    ("chainer", 4),
    ("cntk", 4),
    ("caffe2", 3),
    ("caffe", 3),
];

pub(crate) const JOB_API_VERSIONS: &[&str] = &["2018-11-19", "2020-09-01-preview", "2021-07-01"];
pub(crate) const CLUSTER_API_VERSIONS: &[&str] = &["2021-07-01", "2023-04-01", "2024-04-01"];

/// A job failure: the message and details the job event carries, and what the run's own logger
/// printed before it died.
pub(crate) struct JobError {
    pub(crate) message: &'static str,
    pub(crate) details: &'static str,
    /// Only low-priority nodes are preempted.
    pub(crate) low_priority_only: bool,
    pub(crate) log_lines: &'static [&'static str],
}

pub(crate) const JOB_ERRORS: &[JobError] = &[
    JobError {
        message: "UserError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 11.17 GiB total capacity; 9.84 GiB already allocated; 512.00 MiB free; 10.12 GiB reserved in total by PyTorch)",
        details: "{\"code\":\"UserError\",\"message\":\"User program failed with RuntimeError: CUDA out of memory.\",\"target\":\"train.py\",\"details\":[],\"innerError\":{\"code\":\"ExecutionFailed\"}}",
        low_priority_only: false,
        log_lines: &[
            "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 11.17 GiB total capacity; 9.84 GiB already allocated)",
            "Training step failed at epoch 3, batch 412: CUDA out of memory",
            "Consider reducing batch_size (currently 64) or enabling gradient checkpointing",
        ],
    },
    JobError {
        message: "ServiceError: Node preempted. The low priority node running this job was preempted by Azure; the job will not be retried.",
        details: "{\"code\":\"ServiceError\",\"message\":\"Job preempted: low priority node was reclaimed.\",\"details\":[{\"code\":\"NodePreempted\",\"message\":\"Node was preempted\"}]}",
        low_priority_only: true,
        log_lines: &[
            "Received SIGTERM: node is being preempted, checkpoint may be incomplete",
            "Lost connection to the run history service while uploading metrics",
        ],
    },
    JobError {
        message: "UserError: ModuleNotFoundError: No module named 'torch'",
        details: "{\"code\":\"UserError\",\"message\":\"Execution failed. User process 'python' exited with status code 1.\",\"details\":[{\"code\":\"ModuleNotFoundError\",\"message\":\"No module named 'torch'\"}]}",
        low_priority_only: false,
        log_lines: &[
            "ModuleNotFoundError: No module named 'torch'",
            "Failed to import training dependencies; check the environment's conda_dependencies.yml",
        ],
    },
    JobError {
        message: "UserError: FileNotFoundError: [Errno 2] No such file or directory: '/mnt/azureml/inputs/train.csv'",
        details: "{\"code\":\"UserError\",\"message\":\"User program failed with FileNotFoundError\",\"target\":\"inputs\",\"details\":[]}",
        low_priority_only: false,
        log_lines: &[
            "FileNotFoundError: [Errno 2] No such file or directory: '/mnt/azureml/inputs/train.csv'",
            "Dataset mount returned no files for input 'training_data'",
        ],
    },
    JobError {
        message: "UserError: Execution failed. User process 'python' exited with status code 137. Please check the log file 'user_logs/std_log.txt' for error details.",
        details: "{\"code\":\"UserError\",\"message\":\"Process killed with SIGKILL (exit code 137): the process probably ran out of memory.\",\"details\":[]}",
        low_priority_only: false,
        log_lines: &[
            "MemoryError: Unable to allocate 14.2 GiB for an array with shape (1900000, 1000) and data type float64",
            "Worker process exited unexpectedly with exit code 137",
        ],
    },
    JobError {
        message: "ServiceError: Failed to pull Docker image viennaglobal.azurecr.io/azureml/azureml_3f7c2a: manifest unknown",
        details: "{\"code\":\"ServiceError\",\"message\":\"Image pull failed after 3 attempts\",\"details\":[{\"code\":\"ImagePullFailed\",\"message\":\"manifest unknown: manifest tagged by 'latest' is not found\"}]}",
        low_priority_only: false,
        log_lines: &[
            "Image pull failed: manifest unknown for azureml/azureml_3f7c2a",
            "Job setup failed: could not prepare the execution environment",
        ],
    },
    JobError {
        message: "UserError: KeyError: 'label'",
        details: "{\"code\":\"UserError\",\"message\":\"User program failed with KeyError: 'label'\",\"target\":\"prep\",\"details\":[]}",
        low_priority_only: false,
        log_lines: &[
            "KeyError: 'label'",
            "Input dataframe columns: ['id', 'features', 'target'] do not include the configured label column",
        ],
    },
    JobError {
        message: "UserError: ValueError: Input contains NaN, infinity or a value too large for dtype('float64').",
        details: "{\"code\":\"UserError\",\"message\":\"User program failed with ValueError\",\"details\":[]}",
        low_priority_only: false,
        log_lines: &[
            "ValueError: Input contains NaN, infinity or a value too large for dtype('float64').",
            "Validation of feature matrix failed: 318 rows contain NaN",
        ],
    },
    JobError {
        message: "ServiceError: Job exceeded the maximum run duration of 259200 seconds and was cancelled.",
        details: "{\"code\":\"ServiceError\",\"message\":\"Run exceeded max_run_duration_seconds\",\"details\":[{\"code\":\"RunTimeout\",\"message\":\"Cancelled by service\"}]}",
        low_priority_only: false,
        log_lines: &[
            "Run was cancelled by the service: maximum run duration exceeded",
            "Training loop interrupted before checkpoint could be written",
        ],
    },
    JobError {
        message: "ServiceError: AzureMLCompute job failed. NodeSetupFailed: The start task on the node failed with exit code 1.",
        details: "{\"code\":\"ServiceError\",\"message\":\"Node setup failed\",\"details\":[{\"code\":\"StartTaskFailed\",\"message\":\"Start task exited with code 1\"}]}",
        low_priority_only: false,
        log_lines: &[
            "Node setup failed: start task exited with code 1",
            "Could not mount the workspace datastore: blobfuse returned error 13 (permission denied)",
        ],
    },
    JobError {
        message: "UserError: AuthorizationFailed: The client does not have authorization to perform action 'Microsoft.Storage/storageAccounts/listKeys/action'.",
        details: "{\"code\":\"UserError\",\"message\":\"Identity used by the job lacks access to the datastore\",\"details\":[{\"code\":\"AuthorizationFailed\"}]}",
        low_priority_only: false,
        log_lines: &[
            "AuthorizationFailed: the compute identity cannot list keys of storage account 'mlstorage01'",
            "Unable to download input dataset from datastore 'workspaceblobstore'",
        ],
    },
];

/// Image of the cluster nodes (VERIFIED publisher; the rest plausible).
pub(crate) const IMAGE_PUBLISHER: &str = "microsoft-dsvm";
pub(crate) const IMAGE_OFFER: &str = "ubuntu-hpc";
pub(crate) const IMAGE_SKU: &str = "2004";
pub(crate) const IMAGE_VERSIONS: &[&str] = &["20.04.2025091501", "20.04.2025101301"];

/// opencensus-ext-azure `sdkVersion`: `py<python>:oc<opencensus>:ext<exporter>`.
pub(crate) const SDK_VERSIONS: &[(&str, u32)] = &[
    ("py3.8.10:oc0.11.4:ext1.1.13", 5),
    ("py3.10.12:oc0.11.4:ext1.1.13", 3),
    ("py3.9.18:oc0.11.2:ext1.1.9", 2),
];

pub(crate) const DATASETS: &[&str] = &[
    "training_data",
    "customer_events",
    "images_v3",
    "transactions_2025",
    "sensor_readings",
];

pub(crate) const WARNINGS: &[&str] = &[
    "Validation loss did not improve for 3 epochs; reducing learning rate",
    "Detected call of `lr_scheduler.step()` before `optimizer.step()`",
    "Dataset contains rows with missing values; dropping them",
    "Mount of input 'training_data' is slow: consider download mode",
    "GPU utilization below 30% for the last 5 minutes",
    "Metric 'val_auc' logged more than 250 times; older values will be sampled",
];

/// Errors a healthy run logs and survives, so ERROR traces are not only found on failed jobs.
pub(crate) const TRANSIENT_ERRORS: &[&str] = &[
    "Failed to upload metrics batch to run history (HTTP 503); retrying in 5s",
    "Checkpoint upload to outputs/ timed out; retrying (attempt 1/3)",
    "Connection reset while reading from datastore; retrying",
];
