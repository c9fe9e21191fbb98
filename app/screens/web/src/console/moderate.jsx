// The moderator's action form: one action with a required reason (and a duration to suspend).
import { useState } from "preact/hooks";
import { api } from "../shared/api.js";
import { t } from "../shared/i18n.js";
import { ErrorNote, Field, toast } from "../shared/ui.jsx";

const DURATIONS = [3600, 86400, 7 * 86400, 30 * 86400];

/** Act on `target` ({kind, id}) with one of `actions`; `onDone(entry)` after it is audited. */
export function ActionForm({ target, actions, onDone }) {
  const [action, setAction] = useState(actions[0]);
  const [failure, setFailure] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(e) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body = { action, target_kind: target.kind, target_id: target.id, reason: form.get("reason").trim() };
    if (action === "suspend") body.duration_seconds = Number(form.get("duration"));
    setFailure(null);
    setBusy(true);
    try {
      const entry = await api("/moderation/actions", { method: "POST", body });
      toast(t("moderation.done", { action: t(`moderation.action.${action}`) }));
      e.currentTarget?.reset?.();
      onDone(entry);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="action-form" onSubmit={submit}>
      <fieldset>
        <legend>{t(`moderation.on.${target.kind}`)}</legend>
        <div class="choice" role="radiogroup" aria-label={t("moderation.action")}>
          {actions.map((a) => (
            <label key={a}>
              <input type="radio" name="action" value={a} checked={a === action} onChange={() => setAction(a)} />
              {t(`moderation.action.${a}`)}
            </label>
          ))}
        </div>
        {action === "suspend" && (
          <Field as="select" label={t("moderation.duration")} name="duration">
            {DURATIONS.map((s) => <option key={s} value={s}>{t(`moderation.for.${s}`)}</option>)}
          </Field>
        )}
        <Field label={t("moderation.reason")} name="reason" required maxLength={500} />
        <ErrorNote error={failure} />
        <button type="submit" class="primary" disabled={busy}>
          {t(`moderation.action.${action}`)}
        </button>
      </fieldset>
    </form>
  );
}

/** The actions that make sense for content in `state`. */
export function contentActions(state) {
  if (state === "visible") return ["hide", "remove"];
  if (state === "removed") return ["restore"];
  return ["restore", "remove"];
}
