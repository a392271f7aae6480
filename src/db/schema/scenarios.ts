import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, organizationId, senderColumns, updatedAt } from "./columns";

export const SCENARIO_STATUSES = ["draft", "active", "paused", "stopped"] as const;
export const STEP_TRIGGERS = ["entry", "delay", "opened", "not_opened", "clicked"] as const;
export const SEQUENCE_STATUSES = ["active", "completed", "stopped", "failed", "converted", "exited"] as const;

export const scenarios = sqliteTable("scenarios", {
  id: text("id").primaryKey(),
  organizationId: organizationId(),
  name: text("name").notNull(),
  status: text("status", { enum: SCENARIO_STATUSES }).notNull().default("draft"),
  /** Why the platform paused it (the deliverability guard: bounce_rate, complaint_rate); null when a user did. */
  pausedReason: text("paused_reason"),
  ...senderColumns(),
  dailyCap: integer("daily_cap"),
  cooldownDays: real("cooldown_days"),
  sendWindowStart: text("send_window_start"),
  sendWindowEnd: text("send_window_end"),
  /** JSON array of "mon".."sun". */
  sendDays: text("send_days"),
  timezone: text("timezone"),
  minValidationScore: real("min_validation_score"),
  onlyDeliverable: integer("only_deliverable", { mode: "boolean" }).notNull().default(false),
  /** JSON array of domains. */
  excludeDomains: text("exclude_domains").notNull().default("[]"),
  segmentId: text("segment_id"),
  stopOnReply: integer("stop_on_reply", { mode: "boolean" }).notNull().default(true),
  stopOnUnsubscribe: integer("stop_on_unsubscribe", { mode: "boolean" }).notNull().default(true),
  includeUnsubscribe: integer("include_unsubscribe", { mode: "boolean" }).notNull().default(true),
  /** JSON {source, medium, campaign, content?}: UTM parameters added to tracked links. */
  utm: text("utm"),
  /**
   * The journey's version (steps or flow, one counter): a steps version keeps the sequences that
   * started on it; a flow version moves the running journeys on to it (scenario_flows.source).
   */
  stepsVersion: integer("steps_version").notNull().default(0),
  /** JSON FlowEntry (contracts/flow.ts): who starts a run. Null: the segment entry of a steps scenario. */
  entry: text("entry"),
  /** JSON array of the behaviour events the journey waits for or converts on (the EVENTS consumer forwards those). */
  listens: text("listens").notNull().default("[]"),
  eligibleCount: integer("eligible_count").notNull().default(0),
  enrolledCount: integer("enrolled_count").notNull().default(0),
  /** When the scenario was first started (draft -> active). */
  startedAt: integer("started_at"),
  /** When the ENROLL page scan reached the last contact; null while it runs. */
  enrollmentDoneAt: integer("enrollment_done_at"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const scenarioSteps = sqliteTable(
  "scenario_steps",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    scenarioId: text("scenario_id").notNull(),
    version: integer("version").notNull(),
    stepOrder: integer("step_order").notNull(),
    name: text("name").notNull(),
    trigger: text("trigger", { enum: STEP_TRIGGERS }).notNull(),
    parentStepOrder: integer("parent_step_order"),
    /** Total delay after the parent (or enrollment), in minutes. */
    delayMinutes: integer("delay_minutes").notNull().default(0),
    templateId: text("template_id").notNull(),
    /** JSON auto_winner settings of the step's variants (services/ab-winner). */
    autoWinner: text("auto_winner"),
    /** JSON {variant, decided_at, probability, ...} once a winner is decided; then every later send uses it. */
    winner: text("winner"),
  },
  (t) => [uniqueIndex("scenario_steps_version_order").on(t.scenarioId, t.version, t.stepOrder)],
);

export const stepVariants = sqliteTable(
  "step_variants",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    stepId: text("step_id").notNull(),
    name: text("name").notNull(),
    templateId: text("template_id").notNull(),
    weight: real("weight").notNull(),
    sent: integer("sent").notNull().default(0),
    opened: integer("opened").notNull().default(0),
    clicked: integer("clicked").notNull().default(0),
    machineOpened: integer("machine_opened").notNull().default(0),
    replied: integer("replied").notNull().default(0),
  },
  (t) => [index("step_variants_step").on(t.stepId)],
);

export const contactSequences = sqliteTable(
  "contact_sequences",
  {
    /** The sequence's own id (ledger keys and the SequenceDO state name it); not a key. */
    id: text("id").notNull(),
    organizationId: organizationId(),
    scenarioId: text("scenario_id").notNull(),
    contactId: text("contact_id").notNull(),
    stepsVersion: integer("steps_version").notNull(),
    status: text("status", { enum: SEQUENCE_STATUSES }).notNull().default("active"),
    currentStepOrder: integer("current_step_order"),
    nextRunAt: integer("next_run_at"),
    stopReason: text("stop_reason"),
    /**
     * The SequenceDO's state revision this row reflects: the DO writes `WHERE revision < new`, so a
     * slower, older write never overwrites a newer one (the input gate opens during D1 I/O).
     */
    revision: integer("revision").notNull().default(0),
    /** The run this row shows (a journey with re-entry runs again; earlier runs are in journey_runs). */
    runNo: integer("run_no").notNull().default(1),
    /** Where the run is (a flow's node id), and when it started. */
    nodeId: text("node_id"),
    runStartedAt: integer("run_started_at"),
    /** JSON {p: [[node, outcome], ...] passed, w: [node, ...] waiting}: the per-node counts read it. */
    path: text("path"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  // WITHOUT ROWID (migration 0001), keyed by what every lookup names: one row written per
  // enrollment and no secondary index. A contact's sequences are found through the open scenarios.
  (t) => [primaryKey({ columns: [t.scenarioId, t.contactId] })],
);

/**
 * Each version of a scenario's journey as a graph (contracts/flow.ts Flow). `source` says which API
 * wrote it: "steps" (running sequences keep their version) or "flow" (running journeys move on to
 * the new version at the node ids that survive). Email nodes are also scenario_steps rows of the
 * same version, numbered by `Flow.orders`, so sending, counters and the A/B winner are the steps'.
 */
export const scenarioFlows = sqliteTable(
  "scenario_flows",
  {
    scenarioId: text("scenario_id").notNull(),
    version: integer("version").notNull(),
    organizationId: organizationId(),
    source: text("source", { enum: ["steps", "flow"] }).notNull(),
    flow: text("flow").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.scenarioId, t.version] })],
);

/**
 * A contact's earlier runs of a journey (re-entry): the SequenceDO moves the run it ends here from
 * contact_sequences when the next one starts, in the same batch. The current run is the
 * contact_sequences row.
 */
export const journeyRuns = sqliteTable(
  "journey_runs",
  {
    scenarioId: text("scenario_id").notNull(),
    contactId: text("contact_id").notNull(),
    runNo: integer("run_no").notNull(),
    organizationId: organizationId(),
    status: text("status").notNull(),
    nodeId: text("node_id"),
    reason: text("reason"),
    path: text("path"),
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at"),
  },
  (t) => [primaryKey({ columns: [t.scenarioId, t.contactId, t.runNo] })],
);

/** Atomic per-scenario, per-local-day send counter for the daily cap. */
export const scenarioDailyCounters = sqliteTable(
  "scenario_daily_counters",
  {
    scenarioId: text("scenario_id").notNull(),
    day: text("day").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.scenarioId, t.day] })],
);
