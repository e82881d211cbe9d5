//! The engine: a DataFusion session, the tables registered under KQL names, and the function
//! registry; parse → plan → execute for each query text.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::TableProvider;
use datafusion::dataframe::DataFrame;
use datafusion::datasource::MemTable;
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::{CsvReadOptions, ParquetReadOptions, SessionConfig, SessionContext};
use kql_functions::{KqlType, Registry};
use kql_parser::ast::Script;
use kql_planner::{KqlColumn, PlannedQuery, Planner, ShreddedMember};

use crate::catalog::{Registered, Tables};
use crate::coerce::{canonical_schema, coerce_batch, kql_columns};
use crate::load::{JsonLinesOptions, LoadReport, LoadedTable};
use crate::{EngineError, QueryResult, ResultTable};

/// How the engine runs.
#[derive(Clone, Debug)]
pub struct EngineOptions {
    /// Threads for one query (DataFusion's target partitions); default: all cores.
    pub threads: usize,
    /// A fixed `now()` in nanoseconds since the Unix epoch, for reproducible results (tests,
    /// replays); default: the clock at the start of each query.
    pub now_nanos: Option<i64>,
}

impl Default for EngineOptions {
    fn default() -> Self {
        Self {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            now_nanos: None,
        }
    }
}

/// A KQL engine: tables by name, and queries over them.
pub struct Engine {
    ctx: SessionContext,
    tables: Tables,
    registry: Arc<Registry>,
    options: EngineOptions,
    setting_warnings: Vec<String>,
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

impl Engine {
    /// An engine with default options and no tables.
    pub fn new() -> Self {
        Self::with_options(EngineOptions::default())
    }

    /// An engine with these options.
    pub fn with_options(options: EngineOptions) -> Self {
        let config = SessionConfig::new()
            .with_target_partitions(options.threads.max(1))
            .with_information_schema(false)
            .set_str("datafusion.execution.time_zone", "UTC")
            // KQL's window functions (`prev`, `row_cumsum`, …) read rows in the order they
            // arrive: a single ordered partition (after a sort, or a single-partition source)
            // must not be split round-robin and merged back in another order.
            .set_bool("datafusion.optimizer.enable_round_robin_repartition", false)
            // Parquet strings are decoded as views (DataFusion's default): a view of a
            // dictionary-encoded value points into the page's dictionary instead of copying the
            // text, and the table's cast to Utf8 (KQL's string type) sits above the filters, so
            // only the rows a query keeps are copied (q1 one-shot 19 → 15 ms, see
            // benches/PERFORMANCE.md). Filter push-down into the decoder (`pushdown_filters`)
            // measured mixed and stays off but for identifier lookups.
            .set_bool("datafusion.execution.parquet.schema_force_view_types", true);
        let (config, setting_warnings) = with_environment_overrides(config);
        let state = SessionStateBuilder::new()
            .with_config(config)
            .with_default_features()
            .build();
        // DataFusion 55's leaf-projection push-down fails on plans that alias a qualified scan
        // column to its own name ("Schema contains qualified field name traces.appId and
        // unqualified field name appId"), which every KQL scan does. It only moves JSON
        // accessors towards the scan, so it is left out.
        let mut rules: Vec<_> = state
            .optimizers()
            .iter()
            .filter(|r| {
                !matches!(
                    r.name(),
                    "extract_leaf_expressions" | "push_down_leaf_projections"
                )
            })
            .cloned()
            .collect();
        rules.push(Arc::new(crate::member_equals_filter::MemberEqualsFilter));
        let state = SessionStateBuilder::new_from_existing(state)
            .with_optimizer_rules(rules)
            .with_physical_optimizer_rule(Arc::new(
                crate::interleave_row_groups::InterleaveRowGroups::default(),
            ))
            .with_physical_optimizer_rule(Arc::new(
                crate::identifier_lookup_pushdown::IdentifierLookupPushdown,
            ))
            .build();
        // The planner calls every UDF (including the JSON accessors) directly, so the session
        // needs no function registrations of its own.
        let ctx = SessionContext::new_with_state(state);
        Self {
            ctx,
            tables: Tables::default(),
            registry: Arc::new(Registry::new()),
            options,
            setting_warnings,
        }
    }

    /// The function registry (for documentation and completion).
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Registers in-memory record batches as table `name`. Columns are coerced to the canonical
    /// Arrow types of their KQL types; a field marked `arrow.json` is `dynamic`.
    pub fn register_batches(
        &self,
        name: &str,
        batches: Vec<RecordBatch>,
    ) -> Result<(), EngineError> {
        let Some(first) = batches.first() else {
            return Err(EngineError::Register(format!(
                "table '{name}' has no batches (give at least an empty one for the schema)"
            )));
        };
        let columns = kql_columns(&first.schema())?;
        self.register_columns(name, columns, batches)
    }

    /// Registers batches with an explicit KQL schema (the batches' columns in the same order).
    pub fn register_columns(
        &self,
        name: &str,
        columns: Vec<KqlColumn>,
        batches: Vec<RecordBatch>,
    ) -> Result<(), EngineError> {
        let schema = canonical_schema(&columns);
        let mut coerced = Vec::with_capacity(batches.len());
        for b in &batches {
            if b.num_columns() != columns.len() {
                return Err(EngineError::Register(format!(
                    "table '{name}': a batch has {} columns, the schema {}",
                    b.num_columns(),
                    columns.len()
                )));
            }
            coerced.push(coerce_batch(b, &columns, &schema)?);
        }
        let shredded = crate::shred::shred(&columns, schema, coerced, self.options.threads)?;
        // Spread the batches over partitions so scans run on every thread.
        let partitions = self.options.threads.max(1);
        let mut parts: Vec<Vec<RecordBatch>> =
            vec![Vec::new(); partitions.min(shredded.batches.len().max(1))];
        let count = parts.len();
        for (i, b) in shredded.batches.into_iter().enumerate() {
            parts[i % count].push(b);
        }
        let table = MemTable::try_new(shredded.schema, parts)?;
        self.insert(name, Arc::new(table), columns, shredded.members)
    }

    /// Registers any DataFusion table provider; its KQL columns come from its Arrow schema.
    pub fn register_table_provider(
        &self,
        name: &str,
        provider: Arc<dyn TableProvider>,
    ) -> Result<(), EngineError> {
        let columns = kql_columns(&provider.schema())?;
        self.insert(name, provider, columns, Vec::new())
    }

    /// Registers a Parquet file or directory, read lazily at each query (filters on it are
    /// pushed down to row groups).
    pub async fn register_parquet(
        &self,
        name: &str,
        path: impl AsRef<Path>,
    ) -> Result<(), EngineError> {
        let path = path.as_ref().to_string_lossy().to_string();
        let df = self
            .ctx
            .read_parquet(path.as_str(), ParquetReadOptions::default())
            .await
            .map_err(|e| EngineError::Load {
                path: path.clone(),
                line: None,
                message: e.to_string(),
            })?;
        self.register_table_provider(name, df.into_view())
    }

    /// Registers a CSV file with a header row, read lazily.
    pub async fn register_csv(
        &self,
        name: &str,
        path: impl AsRef<Path>,
    ) -> Result<(), EngineError> {
        let path = path.as_ref().to_string_lossy().to_string();
        let ext = Path::new(&path)
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_default();
        let df = self
            .ctx
            .read_csv(
                path.as_str(),
                CsvReadOptions::new().has_header(true).file_extension(&ext),
            )
            .await
            .map_err(|e| EngineError::Load {
                path: path.clone(),
                line: None,
                message: e.to_string(),
            })?;
        self.register_table_provider(name, df.into_view())
    }

    /// Loads a JSON lines file (optionally gzipped) into memory as table `name`, parsed on every
    /// core: one row object per line. With a KQL schema the table has exactly its columns (keys
    /// match exactly; other keys are listed in the report's `ignored_fields`); without one, the
    /// columns are the keys of the first `infer_rows` rows, typed from their values.
    pub fn register_json_lines(
        &self,
        name: &str,
        path: impl AsRef<Path>,
        options: &JsonLinesOptions,
    ) -> Result<LoadReport, EngineError> {
        let (columns, batches, report) = crate::load::read_json_lines(path.as_ref(), options)?;
        let batches = if batches.is_empty() {
            vec![RecordBatch::new_empty(canonical_schema(&columns))]
        } else {
            batches
        };
        self.register_columns(name, columns, batches)?;
        Ok(report)
    }

    /// Registers a table read into memory by one of the [`crate::load`] readers.
    pub fn register_loaded(&self, name: &str, table: LoadedTable) -> Result<(), EngineError> {
        self.register_columns(name, table.columns, table.batches)
    }

    /// Registers Parquet files (or directories of them) as one table. With `schema` (see
    /// [`crate::load::azure_schema`]) every documented column is there with its documented type,
    /// missing ones as nulls (`""` for strings), and the files' other columns follow. Files with
    /// only flat columns are read lazily at each query, with filters pushed down to row groups;
    /// nested columns (lists, structs, maps) are `dynamic` JSON text, so such files are read
    /// into memory once. Returns the table's columns.
    pub async fn register_parquet_files(
        &self,
        name: &str,
        paths: &[PathBuf],
        schema: Option<Vec<KqlColumn>>,
    ) -> Result<Vec<KqlColumn>, EngineError> {
        use datafusion::arrow::datatypes::DataType;
        use datafusion::common::ScalarValue;
        use datafusion::logical_expr::{Expr, lit};

        let shown = paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let load_error = |e: datafusion::error::DataFusionError| EngineError::Load {
            path: shown.clone(),
            line: None,
            message: e.to_string(),
        };
        let urls: Vec<String> = paths
            .iter()
            .map(|p| p.to_string_lossy().to_string())
            .collect();
        // The embedded Arrow schema marks `dynamic` columns (`arrow.json`): keep it.
        let df = self
            .ctx
            .read_parquet(urls, ParquetReadOptions::default().skip_metadata(false))
            .await
            .map_err(load_error)?;
        let file_schema = df.schema().as_arrow().clone();
        let nested = file_schema.fields().iter().any(|f| {
            matches!(
                f.data_type(),
                DataType::List(_)
                    | DataType::LargeList(_)
                    | DataType::Struct(_)
                    | DataType::Map(..)
                    | DataType::FixedSizeList(..)
            )
        });
        let null_free = if nested {
            Default::default()
        } else {
            crate::parquet_nulls::null_free_columns(paths)
        };
        let may_be_null = |f: &datafusion::arrow::datatypes::Field| {
            f.is_nullable() && !null_free.contains(f.name())
        };
        let mut columns: Vec<KqlColumn> = Vec::new();
        let mut exprs: Vec<Expr> = Vec::new();
        let mut used = vec![false; file_schema.fields().len()];
        for c in schema.unwrap_or_default() {
            let found = file_schema
                .fields()
                .iter()
                .position(|f| f.name() == &c.name)
                .or_else(|| {
                    file_schema
                        .fields()
                        .iter()
                        .position(|f| f.name().eq_ignore_ascii_case(&c.name))
                });
            let want = c.ty.to_arrow();
            let expr = match found {
                Some(i) if !used[i] => {
                    used[i] = true;
                    let field = file_schema.field(i);
                    read_column(field, c.ty, nested, may_be_null(field))
                }
                _ if c.ty == KqlType::String => lit(""),
                _ => lit(ScalarValue::try_from(&want)?),
            };
            exprs.push(expr.alias(&c.name));
            columns.push(c);
        }
        for (i, field) in file_schema.fields().iter().enumerate() {
            if used[i] {
                continue;
            }
            let found = KqlType::from_field(field).ok_or_else(|| {
                EngineError::Register(format!(
                    "column '{}' has Arrow type {}, which has no KQL type",
                    field.name(),
                    field.data_type()
                ))
            })?;
            // A file this engine wrote says which KQL type a Utf8 column has (guid, string).
            let ty = field
                .metadata()
                .get(crate::output::KQL_TYPE_KEY)
                .and_then(|name| kql_type_named(name))
                .filter(|ty| ty.to_arrow() == found.to_arrow())
                .unwrap_or(found);
            exprs.push(read_column(field, ty, nested, may_be_null(field)).alias(field.name()));
            columns.push(KqlColumn::new(field.name().clone(), ty));
        }
        if !nested && let Some(provider) = scanned_as_is(&df, &file_schema, &exprs, &columns) {
            self.insert(name, provider, columns.clone(), Vec::new())?;
            return Ok(columns);
        }
        let df = df.select(exprs).map_err(load_error)?;
        if nested {
            let batches = df.collect().await.map_err(load_error)?;
            let batches = if batches.is_empty() {
                vec![RecordBatch::new_empty(canonical_schema(&columns))]
            } else {
                batches
            };
            self.register_columns(name, columns.clone(), batches)?;
        } else {
            self.insert(name, df.into_view(), columns.clone(), Vec::new())?;
        }
        Ok(columns)
    }

    fn insert(
        &self,
        name: &str,
        provider: Arc<dyn TableProvider>,
        columns: Vec<KqlColumn>,
        members: Vec<ShreddedMember>,
    ) -> Result<(), EngineError> {
        let mut tables = self
            .tables
            .by_name
            .write()
            .map_err(|_| EngineError::Register("table catalog is poisoned".into()))?;
        tables.insert(
            name.to_string(),
            Registered {
                provider,
                columns,
                members,
            },
        );
        Ok(())
    }

    /// The registered table names, sorted.
    pub fn table_names(&self) -> Vec<String> {
        use kql_planner::Catalog as _;
        self.tables.table_names()
    }

    /// The KQL columns of a registered table.
    pub fn table_columns(&self, name: &str) -> Option<Vec<KqlColumn>> {
        self.tables
            .by_name
            .read()
            .ok()?
            .get(name)
            .map(|t| t.columns.clone())
    }

    fn now_nanos(&self) -> i64 {
        self.options
            .now_nanos
            .unwrap_or_else(|| chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0))
    }

    /// Parses and plans a query text: one plan per tabular statement.
    pub fn plan(&self, text: &str) -> Result<Vec<PlannedQuery>, EngineError> {
        let script = kql_parser::parse(text)?;
        self.plan_script(&script)
    }

    /// Plans a parsed query text (to time parsing and planning apart).
    pub fn plan_script(&self, script: &Script) -> Result<Vec<PlannedQuery>, EngineError> {
        let mut planner = Planner::new(&self.tables, &self.registry, self.now_nanos());
        Ok(planner.plan_script(script)?)
    }

    /// Runs a query text; one result table per tabular statement.
    pub async fn query(&self, text: &str) -> Result<QueryResult, EngineError> {
        let planned = self.plan(text)?;
        let mut tables = Vec::with_capacity(planned.len());
        for p in planned {
            tables.push(self.execute(p).await?);
        }
        Ok(QueryResult { tables })
    }

    /// Runs one planned query.
    pub async fn execute(&self, planned: PlannedQuery) -> Result<ResultTable, EngineError> {
        let df = DataFrame::new(self.ctx.state(), planned.plan);
        let batches = df.collect().await?;
        Ok(ResultTable {
            name: planned.name,
            columns: planned.columns,
            batches,
        })
    }

    /// The AST, the logical plan (as built and optimized) and the physical plan of each statement.
    pub async fn explain(&self, text: &str) -> Result<String, EngineError> {
        let script = kql_parser::parse(text)?;
        let mut out = format!("== KQL (canonical)\n{script}\n");
        let planned = self.plan(text)?;
        for p in planned {
            out.push_str(&format!(
                "\n== {}: logical plan\n{}\n",
                p.name,
                p.plan.display_indent()
            ));
            let df = DataFrame::new(self.ctx.state(), p.plan);
            let optimized = df.clone().into_optimized_plan()?;
            out.push_str(&format!(
                "\n== {}: optimized logical plan\n{}\n",
                p.name,
                optimized.display_indent()
            ));
            let physical = df.create_physical_plan().await?;
            out.push_str(&format!(
                "\n== {}: physical plan\n{}\n",
                p.name,
                datafusion::physical_plan::displayable(physical.as_ref()).indent(false)
            ));
        }
        Ok(out)
    }

    /// `DATAFUSION_*` environment variables that were left out because they do not parse (the
    /// engine does not print; a program shows these as it sees fit).
    pub fn setting_warnings(&self) -> &[String] {
        &self.setting_warnings
    }

    /// Sets one of DataFusion's settings for the queries that follow, e.g.
    /// `("datafusion.execution.parquet.pushdown_filters", "true")`: the engine's own choices are
    /// measured defaults (benches/PERFORMANCE.md), and a workload may do better with others.
    pub fn set_datafusion_option(&self, key: &str, value: &str) -> Result<(), EngineError> {
        let state = self.ctx.state_ref();
        let mut state = state.write();
        state
            .config_mut()
            .options_mut()
            .set(key, value)
            .map_err(|e| EngineError::Setting(format!("{key}={value}: {e}")))
    }

    /// Runs each statement and shows its physical plan with every operator's metrics (rows out,
    /// time, Parquet row groups and pages pruned): where a query spends its time.
    pub async fn explain_analyze(&self, text: &str) -> Result<String, EngineError> {
        use datafusion::physical_plan::display::DisplayableExecutionPlan;
        let mut out = String::new();
        for p in self.plan(text)? {
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
            let state = self.ctx.state();
            let task = Arc::new(datafusion::execution::TaskContext::from(&state));
            let started = std::time::Instant::now();
            let optimized = state.optimize(&p.plan)?;
            let optimized_at = std::time::Instant::now();
            // Not `state.create_physical_plan`, which would optimize again.
            let physical = state
                .query_planner()
                .create_physical_plan(&optimized, &state)
                .await?;
            let planned_at = std::time::Instant::now();
            let batches = datafusion::physical_plan::collect(physical.clone(), task).await?;
            let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
            out.push_str(&format!(
                "== {}: {rows} rows; optimize {:.2} ms, physical plan {:.2} ms, run {:.2} ms\n{}\n",
                p.name,
                ms(optimized_at - started),
                ms(planned_at - optimized_at),
                ms(planned_at.elapsed()),
                DisplayableExecutionPlan::with_metrics(physical.as_ref()).indent(false)
            ));
        }
        Ok(out)
    }
}

/// DataFusion settings given as `DATAFUSION_*` environment variables (as `datafusion-cli` reads
/// them, e.g. `DATAFUSION_EXECUTION_PARQUET_PUSHDOWN_FILTERS=true`) win over the engine's own:
/// a user can tune a workload, or compare settings, without rebuilding. A variable that does not
/// parse is left out, and said in the returned warnings rather than failing every query.
fn with_environment_overrides(mut config: SessionConfig) -> (SessionConfig, Vec<String>) {
    let keys: Vec<String> = config
        .options()
        .entries()
        .into_iter()
        .map(|entry| entry.key)
        .collect();
    let mut warnings = Vec::new();
    for key in keys {
        // The variable's name as `datafusion-cli` (`ConfigOptions::from_env`) spells it; that
        // function is not used because one bad variable makes it drop them all.
        let var = key.to_uppercase().replace('.', "_");
        let Some(value) = std::env::var_os(&var) else {
            continue;
        };
        if let Err(e) = config.options_mut().set(&key, &value.to_string_lossy()) {
            warnings.push(format!("ignoring {var}: {e}"));
        }
    }
    (config, warnings)
}

/// A KQL type by its name (`guid`), as [`crate::output::KQL_TYPE_KEY`] metadata holds it.
fn kql_type_named(name: &str) -> Option<KqlType> {
    [
        KqlType::Bool,
        KqlType::Int,
        KqlType::Long,
        KqlType::Real,
        KqlType::Decimal,
        KqlType::String,
        KqlType::Datetime,
        KqlType::Timespan,
        KqlType::Guid,
        KqlType::Dynamic,
    ]
    .into_iter()
    .find(|t| t.name() == name)
}

/// The Parquet table `df` scans, when `exprs` read each of the file's columns as it is or only
/// cast to its canonical type (which the planner's scan does itself, see
/// `kql_planner::TableEntry::columns`), under its own name and in file order. Registered as it
/// is, a query's plan starts at the scan; a view (`select(exprs)`) would put a projection of
/// every column, and an alias, under every query, which the analyzer and each optimizer pass
/// walk (the tables have 30–50 columns). Strings are decoded as views and cast, so only files
/// whose string columns need a `coalesce` (they hold a null) read through a view.
fn scanned_as_is(
    df: &DataFrame,
    file_schema: &datafusion::arrow::datatypes::Schema,
    exprs: &[datafusion::logical_expr::Expr],
    columns: &[KqlColumn],
) -> Option<Arc<dyn TableProvider>> {
    use datafusion::logical_expr::{Cast, Expr, LogicalPlan};
    let is_column = |e: &Expr, name: &str| {
        let Expr::Column(c) = e else { return false };
        c.relation.is_none() && c.name == name
    };
    let as_is = exprs.len() == file_schema.fields().len()
        && columns.len() == exprs.len()
        && exprs
            .iter()
            .zip(file_schema.fields())
            .zip(columns)
            .all(|((e, f), c)| match e {
                Expr::Alias(a) if a.name == *f.name() && c.name == *f.name() => {
                    match a.expr.as_ref() {
                        // Exactly the cast the planner's scan makes.
                        Expr::Cast(Cast { expr, field }) => {
                            *field.data_type() == c.ty.to_arrow() && is_column(expr, f.name())
                        }
                        other => is_column(other, f.name()),
                    }
                }
                _ => false,
            });
    match df.logical_plan() {
        LogicalPlan::TableScan(scan)
            if as_is
                && scan.projection.is_none()
                && scan.filters.is_empty()
                && scan.fetch.is_none() =>
        {
            datafusion::datasource::source_as_provider(&scan.source).ok()
        }
        _ => None,
    }
}

/// A Parquet column as a KQL column reads it: cast to the canonical Arrow type of `ty`, a null
/// string as `""` (KQL strings have no null) unless the files hold none
/// ([`crate::parquet_nulls`]). Files with nested columns are read whole and converted by
/// [`crate::coerce`] instead.
fn read_column(
    field: &datafusion::arrow::datatypes::Field,
    ty: KqlType,
    nested: bool,
    may_be_null: bool,
) -> datafusion::logical_expr::Expr {
    use datafusion::logical_expr::{cast, ident, lit};
    let e = ident(field.name());
    if nested {
        return e;
    }
    let want = ty.to_arrow();
    let e = if field.data_type() == &want {
        e
    } else {
        cast(e, want)
    };
    if ty == KqlType::String && may_be_null {
        datafusion::functions::expr_fn::coalesce(vec![e, lit("")])
    } else {
        e
    }
}
