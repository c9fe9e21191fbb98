// A friend's forest: what I may take from each ripe bubble, the steal animation, and watering.
import { useEffect, useState } from "preact/hooks";
import { api } from "../../shared/api.js";
import { useLive } from "../../shared/bus.js";
import { countdown, grams, t } from "../../shared/i18n.js";
import { ErrorNote, Loading, toast, useLoad, useNow } from "../../shared/ui.jsx";
import { Scene, stateAt } from "../scene.jsx";

const FLIGHT_MS = 650;
const WATER_AMOUNTS = [10, 18, 66];

/** Visit a friend's forest. */
export function FriendForest({ params }) {
  const id = Number(params.id);
  const { data, error, reload, setData } = useLoad(async () => {
    const forest = await api(`/forest/${id}`);
    return { forest, skew: Date.parse(forest.now) - Date.now() };
  }, [id]);
  const now = useNow(1000);
  const [leaving, setLeaving] = useState({});
  const [failure, setFailure] = useState(null);
  const [left, setLeft] = useState(null);

  useLive((event) => {
    if (event.type === "live.open") reload();
  });
  // When a bubble on show expires, ask again: the server says whether it can be revived.
  useEffect(() => {
    if (!data) return undefined;
    const at = Date.now() + data.skew;
    const next = data.forest.bubbles
      .filter((v) => v.bubble.remaining > 0)
      .map((v) => Date.parse(v.bubble.expires_at) - at)
      .filter((ms) => ms > 0);
    if (next.length === 0) return undefined;
    const timer = setTimeout(reload, Math.min(Math.min(...next) + 1000, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [data]);

  if (!data) return error ? <ErrorNote error={error} /> : <Loading />;
  const { forest, skew } = data;
  const shown = forest.bubbles.filter((v) =>
    ["growing", "ripe"].includes(stateAt(v.bubble, now, skew)),
  );

  async function steal(view) {
    setFailure(null);
    setLeaving((l) => ({ ...l, [view.bubble.id]: "steal" }));
    try {
      const [result] = await Promise.all([
        api(`/bubbles/${view.bubble.id}/steal`, { method: "POST", idempotent: true }),
        new Promise((resolve) => setTimeout(resolve, FLIGHT_MS)),
      ]);
      setData((d) => ({
        ...d,
        forest: {
          ...d.forest,
          bubbles: d.forest.bubbles.map((v) =>
            v.bubble.id === view.bubble.id
              ? { bubble: { ...v.bubble, remaining: result.bubble_remaining }, can_take: 0 }
              : v,
          ),
        },
      }));
      toast(t("visit.took", { grams: grams(result.grams), balance: grams(result.balance) }));
    } catch (err) {
      setFailure(err);
      reload();
    } finally {
      setLeaving((l) => ({ ...l, [view.bubble.id]: undefined }));
    }
  }

  async function help(view) {
    setFailure(null);
    try {
      const result = await api(`/bubbles/${view.bubble.id}/help`, { method: "POST", idempotent: true });
      toast(t("visit.helped", { grams: grams(result.grams), name: forest.display_name }));
      reload();
    } catch (err) {
      setFailure(err);
      reload();
    }
  }

  async function revive(view) {
    setFailure(null);
    try {
      const result = await api(`/bubbles/${view.bubble.id}/revive`, { method: "POST", idempotent: true });
      toast(t("visit.revived", { grams: grams(result.grams), cost: grams(result.cost),
        name: forest.display_name }));
      reload();
    } catch (err) {
      setFailure(err);
      reload();
    }
  }

  async function water(amount) {
    setFailure(null);
    try {
      const result = await api(`/friends/${id}/water`, {
        method: "POST",
        idempotent: true,
        body: { grams: amount },
      });
      setLeft(result.waterings_left_today);
      toast(t("visit.watered", { grams: grams(result.grams), name: forest.display_name }));
    } catch (err) {
      setFailure(err);
    }
  }

  const items = shown.map((v) => ({
    bubble: v.bubble,
    amount: v.can_take > 0 ? v.can_take : v.bubble.remaining,
    disabled: v.can_take <= 0,
    leaving: leaving[v.bubble.id],
    onTake: () => steal(v),
    label: (state, wait) => {
      if (state === "growing") return t("visit.growingLabel", { time: countdown(wait) });
      if (v.can_take > 0) return t("visit.takeLabel", { grams: grams(v.can_take) });
      return t("visit.nothingLabel", { grams: grams(v.bubble.remaining) });
    },
  }));

  return (
    <div class="forest">
      <p class="crumbs">
        <a href="/app/friends">{t("nav.friends")}</a>
      </p>
      <h1>{t("visit.title", { name: forest.display_name })}</h1>
      <p class="muted">{t("visit.lifetime", { grams: grams(forest.lifetime_collected) })}</p>
      {forest.protected && (
        <p class="notice" role="note">
          {t("visit.protected")}
        </p>
      )}
      <ErrorNote error={failure} />
      <Scene bubbles={items} now={now} skew={skew}
        caption={t("visit.sceneLabel", { name: forest.display_name })} />
      <p class="hint">{t("visit.rules")}</p>
      <Kindness forest={forest} now={now} skew={skew} onHelp={help} onRevive={revive} />
      <section class="card">
        <h2>{t("visit.waterHeading")}</h2>
        <div class="actions-row">
          {WATER_AMOUNTS.map((amount) => (
            <button type="button" key={amount} onClick={() => water(amount)}>
              {t("visit.waterButton", { grams: grams(amount) })}
            </button>
          ))}
        </div>
        {left !== null && <p class="muted">{t("visit.waterLeft", { n: left })}</p>}
      </section>
    </div>
  );
}

// Bubbles a friend can do something kind for: help collect one about to expire (all of it goes
// to the owner) or revive expired energy (paid from my balance).
function Kindness({ forest, now, skew, onHelp, onRevive }) {
  const helpable = forest.bubbles.filter((v) => v.can_help && stateAt(v.bubble, now, skew) === "ripe");
  const revivable = forest.bubbles.filter((v) => v.can_revive > 0);
  if (helpable.length === 0 && revivable.length === 0) return null;
  return (
    <section class="card" aria-labelledby="kindness-heading">
      <h2 id="kindness-heading">{t("visit.kindness")}</h2>
      <p class="hint">{t("visit.kindnessHint")}</p>
      <ul class="plain expiring">
        {helpable.map((v) => (
          <li key={v.bubble.id} class="row">
            <span>{t("visit.expiresSoon", { grams: grams(v.bubble.remaining),
              time: countdown((Date.parse(v.bubble.expires_at) - now - skew) / 1000) })}</span>
            <button type="button" onClick={() => onHelp(v)}>
              {t("visit.help", { grams: grams(v.bubble.remaining) })}
            </button>
          </li>
        ))}
        {revivable.map((v) => (
          <li key={v.bubble.id} class="row">
            <span>{t("visit.expired", { grams: grams(v.bubble.expired) })}</span>
            <button type="button" onClick={() => onRevive(v)}>
              {t("visit.revive", { grams: grams(v.can_revive) })}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
