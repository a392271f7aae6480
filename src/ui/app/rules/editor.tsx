import type { ErrorDetail } from "../../../lib/errors";
import { CONDITION_FIELDS, CONDITION_OPS, RULE_TRIGGERS } from "../../../services/rules/definitions";
import { Notice } from "../components";
import { ConditionBuilder, DefaultSubmit } from "../conditions/builder";
import { JsonDisclosure } from "../conditions/json-disclosure";
import { Csrf, usePage } from "../layout";
import { ACTION_FIELDS, ACTION_TYPES, type RuleDraft, TRIGGER_FIELDS } from "./draft";
import { FormField, type Lists } from "./fields";

const RULE_FIELDS = [...CONDITION_FIELDS, "attributes.", "event.", "event.amount", "event.url"];

/** The triggers as a select's options, named in the member's language (the rule form, the dry run). */
export const TriggerOptions = (props: { selected: string }) => {
  const { t } = usePage();
  return (
    <>
      {RULE_TRIGGERS.map((x) => (
        <option value={x} selected={x === props.selected}>
          {t.builders.triggers[x] ?? x}
        </option>
      ))}
    </>
  );
};

/** A select of the action types, labelled in the member's language. */
const ActionTypeSelect = (props: { id: string; selected: string; refresh?: boolean }) => {
  const { t } = usePage();
  return (
    <select id={props.id} name={props.id} data-refresh={props.refresh ? "" : undefined}>
      {ACTION_TYPES.map((a) => (
        <option value={a} selected={a === props.selected}>
          {t.builders.actionTypes[a] ?? a}
        </option>
      ))}
    </select>
  );
};

/** Errors whose path starts with `prefix` (a field's own messages, next to it). */
const errorsAt = (errors: ErrorDetail[], prefix: string) =>
  errors.filter((e) => e.field === prefix || e.field?.startsWith(`${prefix}.`));

/**
 * The rule form, no JSON needed: the trigger and its settings, the conditions (the segment
 * builder's), the actions each with its own fields. Buttons that change the form's shape (add,
 * remove, another trigger or action type) re-render the draft; the script does it on change.
 */
export function RuleEditor(props: {
  d: RuleDraft;
  action: string;
  errors: ErrorDetail[];
  lists: Lists;
  current: unknown;
}) {
  const { t } = usePage();
  const b = t.builders;
  const { d, errors } = props;
  const triggerFields = TRIGGER_FIELDS[d.trigger] ?? [];
  return (
    <form method="post" action={props.action} data-rule-form>
      <Csrf />
      <DefaultSubmit value="save" label={t.common.save} />
      {errors.length ? (
        <Notice kind="error">{errors.map((e) => `${e.field ?? ""}: ${e.message}`).join("; ")}</Notice>
      ) : null}
      <label for="name">{t.common.name}</label>
      <input id="name" name="name" required value={d.name} />
      <div class="row">
        <div>
          <label for="trigger">{t.rules.trigger}</label>
          <select id="trigger" name="trigger" data-refresh>
            <TriggerOptions selected={d.trigger} />
          </select>
        </div>
        <button type="submit" class="secondary small" name="do" value="refresh" data-refresh-button>
          {b.applyTrigger}
        </button>
      </div>
      {triggerFields.length ? (
        <fieldset>
          <legend>{b.triggerSettings}</legend>
          <div class="row">
            {triggerFields.map((f) => (
              <FormField d={f} prefix="t__" value={d.trigger_values[f.name] ?? ""} lists={props.lists} />
            ))}
          </div>
        </fieldset>
      ) : null}
      <h2>{t.rules.conditions}</h2>
      <ConditionBuilder root={d.root} fields={RULE_FIELDS} operators={CONDITION_OPS} />
      <h2>{b.actions}</h2>
      {d.actions.map((a, i) => {
        const mine = errorsAt(errors, `actions.${i}`);
        return (
          <fieldset class="action" data-action={i}>
            <legend>{`${b.action} ${i + 1} · ${b.actionTypes[a.type] ?? a.type}`}</legend>
            {mine.length ? (
              <p class="notice error">{mine.map((e) => `${e.field}: ${e.message}`).join("; ")}</p>
            ) : null}
            <div class="row">
              <div>
                <label for={`a${i}_type`}>{`${b.action} ${i + 1}`}</label>
                <ActionTypeSelect id={`a${i}_type`} selected={a.type} refresh />
              </div>
              {ACTION_FIELDS[a.type].map((f) => (
                <FormField d={f} prefix={`a${i}__`} value={a.values[f.name] ?? ""} lists={props.lists} />
              ))}
              <div>
                <label for={`a${i}_delay`}>{b.delayMinutes}</label>
                <input id={`a${i}_delay`} name={`a${i}_delay`} value={a.delay} inputmode="numeric" size={6} />
              </div>
              <input type="hidden" name={`a${i}_extra`} value={a.extra} />
              <button type="submit" class="secondary small" name="do" value={`remove-action:${i}`}>
                {`${b.remove} (${b.action} ${i + 1})`}
              </button>
            </div>
          </fieldset>
        );
      })}
      <div class="row">
        <div>
          <label for="add_action_type">{b.newAction}</label>
          <ActionTypeSelect id="add_action_type" selected="add_tag" />
        </div>
        <button type="submit" class="secondary" name="do" value="add-action">
          {`+ ${b.addAction}`}
        </button>
      </div>
      <div class="row">
        <div>
          <label for="priority">{b.priority}</label>
          <input id="priority" name="priority" value={d.priority} inputmode="numeric" size={4} />
        </div>
      </div>
      <label>
        <input type="checkbox" name="enabled" checked={d.enabled} /> {t.rules.enabled}
      </label>
      <label>
        <input type="checkbox" name="stop_processing" checked={d.stop_processing} /> {b.stopProcessing}
      </label>
      <JsonDisclosure name="rule_json" current={props.current} pasted={d.json} />
      <p>
        <button type="submit" name="do" value="save">
          {t.common.save}
        </button>
      </p>
    </form>
  );
}
