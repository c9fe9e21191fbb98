// My forest: balance, bubbles to collect (with a countdown on growing ones), the tree, props,
// self-reported actions and who visited. Live events keep it current without a reload.
import { useState } from "preact/hooks";
import { api } from "../../shared/api.js";
import { nameOf, useLive } from "../../shared/bus.js";
import { countdown, grams, t, when } from "../../shared/i18n.js";
import { Dialog, ErrorNote, Field, Loading, toast, useLoad, useNow } from "../../shared/ui.jsx";
import { Scene, stateAt } from "../scene.jsx";

const FLIGHT_MS = 650;

async function loadForest() {
  const [forest, props, timeline] = await Promise.all([
    api("/forest/me"),
    api("/me/props"),
    api("/me/timeline?limit=5"),
  ]);
  return { forest, props, timeline, skew: Date.parse(forest.now) - Date.now() };
}

/** The home page of the player client. */
export function Forest() {
  const { data, error, reload, setData } = useLoad(loadForest, []);
  const now = useNow(1000);
  const [leaving, setLeaving] = useState({});
  const [bump, setBump] = useState(0);
  const [failure, setFailure] = useState(null);
  const [reporting, setReporting] = useState(false);

  useLive((event) => {
    const kinds = ["bubble.stolen", "friend.watered", "bubble.ripe", "live.open", "planting.status",
      "bubble.helped", "bubble.revived"];
    if (kinds.includes(event.type)) reload();
  });

  if (!data) return error ? <ErrorNote error={error} /> : <Loading />;
  if (!performance.getEntriesByName("gs:interactive").length) performance.mark("gs:interactive");
  const { forest, props, timeline, skew } = data;
  const shown = forest.bubbles.filter((b) => ["growing", "ripe"].includes(stateAt(b, now, skew)));

  async function collect(bubble) {
    setFailure(null);
    setLeaving((l) => ({ ...l, [bubble.id]: "collect" }));
    try {
      const [result] = await Promise.all([
        api(`/bubbles/${bubble.id}/collect`, { method: "POST", idempotent: true }),
        new Promise((resolve) => setTimeout(resolve, FLIGHT_MS)),
      ]);
      setData((d) => ({
        ...d,
        forest: {
          ...d.forest,
          balance: result.balance,
          bubbles: d.forest.bubbles.map((b) => (b.id === bubble.id ? result.bubble : b)),
        },
      }));
      setBump((n) => n + 1);
      toast(t("forest.collected", { grams: grams(result.collected) }));
    } catch (err) {
      setFailure(err);
      reload();
    } finally {
      setLeaving((l) => ({ ...l, [bubble.id]: undefined }));
    }
  }

  const items = shown.map((b) => ({
    bubble: b,
    leaving: leaving[b.id],
    onTake: () => collect(b),
    label: (state, wait) =>
      state === "ripe"
        ? t("forest.collectLabel", { grams: grams(b.remaining), scenario: b.scenario })
        : t("forest.growingLabel", { grams: grams(b.remaining), time: countdown(wait) }),
  }));

  return (
    <div class="forest">
      <h1 class="visually-hidden">{t("forest.title")}</h1>
      <p class="balance" aria-live="polite">
        <span>{t("forest.balance")}</span>
        <strong key={bump} class={bump ? "bump" : ""} data-balance={forest.balance}>
          {grams(forest.balance)}
        </strong>
      </p>
      <ErrorNote error={failure} />
      <Scene bubbles={items} tree={forest.tree} now={now} skew={skew}
        caption={t("forest.sceneLabel")} />
      <div class="actions-row">
        <button type="button" class="primary" onClick={() => setReporting(true)}>
          {t("forest.logAction")}
        </button>
      </div>
      {forest.tree && <TreeProgress tree={forest.tree} />}
      <Expired bubbles={forest.bubbles} cards={props.stock.revive_card || 0} now={now} skew={skew}
        onDone={reload} />
      <Props props={props} onChange={reload} />
      <Visitors timeline={timeline} />
      <Dialog title={t("forest.logAction")} open={reporting} onClose={() => setReporting(false)}>
        <ReportAction onDone={() => { setReporting(false); reload(); }} />
      </Dialog>
    </div>
  );
}

function TreeProgress({ tree }) {
  return (
    <section class="card">
      <h2>{t("tree.heading", { name: tree.name })}</h2>
      <label for="tree-progress">
        {t("tree.progress", { stage: tree.stage_name, have: grams(Math.min(tree.balance, tree.energy_grams)),
          need: grams(tree.energy_grams) })}
      </label>
      <progress id="tree-progress" max="1000" value={tree.progress_permille} />
      {tree.can_plant && (
        <p>
          <a href="/app/trees">{t("tree.readyLink")}</a>
        </p>
      )}
    </section>
  );
}

function Props({ props, onChange }) {
  const [error, setError] = useState(null);
  async function use(kind) {
    setError(null);
    try {
      await api(`/me/props/${kind}/use`, { method: "POST", idempotent: true });
      toast(t(`props.used.${kind}`));
      onChange();
    } catch (err) {
      setError(err);
    }
  }
  return (
    <section class="card" aria-labelledby="props-heading">
      <h2 id="props-heading">{t("props.heading")}</h2>
      <ul class="plain">
        {Object.entries(props.stock).map(([kind, count]) => (
          <li key={kind} class="row">
            <span>
              {t(`props.${kind}`)} × {count}
              {props.active_until[kind] && (
                <small> · {t("props.activeUntil", { time: when(props.active_until[kind]) })}</small>
              )}
            </span>
            <button type="button" disabled={count < 1} onClick={() => use(kind)}>
              {t("props.use")}
            </button>
          </li>
        ))}
      </ul>
      <ErrorNote error={error} />
    </section>
  );
}

function Visitors({ timeline }) {
  return (
    <section class="card" aria-labelledby="visitors-heading">
      <h2 id="visitors-heading">{t("timeline.heading")}</h2>
      {timeline.items.length === 0 && <p class="muted">{t("timeline.empty")}</p>}
      <ul class="plain timeline">
        {timeline.items.map((item) => (
          <li key={item.id}>
            {t(`timeline.${item.kind}`, {
              name: nameOf(item.actor_id, item.actor_username),
              grams: grams(item.grams),
            })}{" "}
            <small class="muted">{when(item.at)}</small>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ReportAction({ onDone }) {
  const { data: scenarios, error } = useLoad(
    () => api("/scenarios", { anonymous: true }).then((all) => all.filter((s) => s.self_reportable)),
    [],
  );
  const [failure, setFailure] = useState(null);
  const [code, setCode] = useState(null);
  if (!scenarios) return error ? <ErrorNote error={error} /> : <Loading />;
  const chosen = scenarios.find((s) => s.code === code) || scenarios[0];

  async function submit(e) {
    e.preventDefault();
    setFailure(null);
    const form = new FormData(e.currentTarget);
    try {
      const result = await api("/actions", {
        method: "POST",
        idempotent: true,
        body: { scenario: form.get("scenario"), quantity: form.get("quantity") },
      });
      toast(t("action.recorded", { grams: grams(result.action.grams) }));
      onDone();
    } catch (err) {
      setFailure(err);
    }
  }

  return (
    <form onSubmit={submit}>
      <Field as="select" label={t("action.scenario")} name="scenario" value={chosen?.code}
        onChange={(e) => setCode(e.currentTarget.value)}>
        {scenarios.map((s) => (
          <option value={s.code} key={s.code}>{s.name}</option>
        ))}
      </Field>
      {chosen && <p class="muted">{chosen.description}</p>}
      <Field label={t("action.quantity", { unit: chosen?.unit || "" })} name="quantity" type="number"
        min="0.001" step="0.001" defaultValue="1" required />
      <ErrorNote error={failure} />
      <button type="submit" class="primary">{t("action.submit")}</button>
    </form>
  );
}

// Expired energy I can still bring back: with a revive card of mine, or a friend pays for it.
function Expired({ bubbles, cards, now, skew, onDone }) {
  const [failure, setFailure] = useState(null);
  const lost = bubbles.filter((b) => stateAt(b, now, skew) === "expired" && b.revived === 0 &&
    (b.expired > 0 || b.remaining > 0));
  if (lost.length === 0) return null;
  async function revive(bubble) {
    setFailure(null);
    try {
      const result = await api(`/bubbles/${bubble.id}/revive`, { method: "POST", idempotent: true });
      toast(t("forest.revived", { grams: grams(result.grams) }));
      onDone();
    } catch (err) {
      setFailure(err);
    }
  }
  return (
    <section class="card" aria-labelledby="expired-heading">
      <h2 id="expired-heading">{t("forest.expiredHeading")}</h2>
      <p class="hint">{cards > 0 ? t("forest.expiredHint", { n: cards }) : t("forest.expiredNoCard")}</p>
      <ul class="plain">
        {lost.map((b) => (
          <li key={b.id} class="row">
            <span>{t("forest.expiredBubble", { grams: grams(b.expired || b.remaining), scenario: b.scenario })}</span>
            {cards > 0 && (
              <button type="button" onClick={() => revive(b)}>{t("forest.reviveWithCard")}</button>
            )}
          </li>
        ))}
      </ul>
      <ErrorNote error={failure} />
    </section>
  );
}
