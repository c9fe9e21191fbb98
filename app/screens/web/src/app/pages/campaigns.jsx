// Campaigns meant for me (join a live one, my progress toward its goal, my group's total), my
// monthly medals, and the rewards and vouchers I received. Progress moves live.
import { useState } from "preact/hooks";
import { api } from "../../shared/api.js";
import { useLive } from "../../shared/bus.js";
import { day, grams, num, t, when } from "../../shared/i18n.js";
import { ErrorNote, Loading, More, toast, useLoad } from "../../shared/ui.jsx";

async function loadCampaigns() {
  const page = await api("/campaigns?limit=20");
  const mine = await Promise.all(
    page.items.map((c) => api(`/campaigns/${c.id}/progress`).catch(() => null)),
  );
  return { page, progress: Object.fromEntries(page.items.map((c, i) => [c.id, mine[i]])) };
}

/** The campaigns page: campaigns, medals, rewards. */
export function Campaigns() {
  const { data, error, reload } = useLoad(loadCampaigns, []);
  const medals = useLoad(() => api("/me/medals"), []);
  const rewards = useLoad(() => api("/me/rewards?limit=10"), []);
  useLive((event) => {
    if (["campaign.progress", "campaign.completed", "live.open"].includes(event.type)) reload();
    if (["reward.granted", "campaign.completed"].includes(event.type)) {
      rewards.reload();
      medals.reload();
    }
  });
  return (
    <div>
      <h1>{t("play.campaigns.title")}</h1>
      <ErrorNote error={error} />
      {!data && !error && <Loading />}
      {data && data.page.items.length === 0 && <p class="muted">{t("play.campaigns.none")}</p>}
      {data && (
        <ul class="plain">
          {data.page.items.map((c) => (
            <CampaignCard key={c.id} campaign={c} progress={data.progress[c.id]} onJoined={reload} />
          ))}
        </ul>
      )}
      <Medals state={medals} />
      <Rewards state={rewards} />
    </div>
  );
}

function CampaignCard({ campaign: c, progress: p, onJoined }) {
  const [failure, setFailure] = useState(null);
  async function join() {
    setFailure(null);
    try {
      await api(`/campaigns/${c.id}/join`, { method: "POST" });
      toast(t("play.campaigns.joined", { name: c.name }));
      onJoined();
    } catch (err) {
      setFailure(err);
    }
  }
  const canJoin = c.state === "live" && !c.paused && p && p.in_audience && !p.taking_part;
  return (
    <li class="card campaign" aria-labelledby={`campaign-${c.id}`}>
      <div class="title-row">
        <h2 id={`campaign-${c.id}`}>{c.name}</h2>
        <span class="tag">{t(`campaign.state.${c.state}`)}{c.paused && ` · ${t("campaign.paused")}`}</span>
      </div>
      {c.description && <p>{c.description}</p>}
      <p class="muted">{t("campaign.from", { start: when(c.starts_at), end: when(c.ends_at) })}</p>
      <p>
        {t(`play.goal.${c.goal.kind}`, { target: num(c.goal.target) })}
        {c.goal.scenarios?.length > 0 && ` (${c.goal.scenarios.join(", ")})`}
      </p>
      {c.rewards.length > 0 && (
        <p>
          {t("play.campaigns.rewards")}{" "}
          {c.rewards.map((r) => <span class="tag" key={r.id}>{rewardText(r)}</span>)}
        </p>
      )}
      {p && p.taking_part && (
        <div class="progress-row">
          <label for={`progress-${c.id}`}>
            {p.completed_at ? t("play.campaigns.done", { time: when(p.completed_at) })
              : t("play.campaigns.progress", { progress: num(p.progress), target: num(p.target) })}
          </label>
          <progress id={`progress-${c.id}`} max={p.target} value={Math.min(p.progress, p.target)} />
          {p.group && (
            <p class="muted">{t(`play.campaigns.group.${p.group.kind}`, { key: p.group.key,
              total: num(p.group.total), target: num(p.target) })}</p>
          )}
        </div>
      )}
      {canJoin && (
        <button type="button" class="primary" onClick={join}>
          {t("play.campaigns.join", { name: c.name })}
        </button>
      )}
      {c.state === "scheduled" && <p class="muted">{t("play.campaigns.startsSoon", { time: when(c.starts_at) })}</p>}
      <ErrorNote error={failure} />
    </li>
  );
}

function rewardText(r) {
  if (r.kind === "energy") return t("reward.energy", { grams: num(r.grams) });
  if (r.kind === "prop") return t("reward.prop", { prop: t(`props.${r.prop}`), n: r.quantity });
  if (r.kind === "medal") return t("reward.medal", { name: r.medal });
  return t("reward.voucher");
}

function Medals({ state }) {
  const { data, error } = state;
  return (
    <section class="card" aria-labelledby="medals-heading">
      <h2 id="medals-heading">{t("play.medals.title")}</h2>
      <ErrorNote error={error} />
      {!data && !error && <Loading />}
      {data && data.this_month.map((m) => (
        <div key={m.code} class="medal">
          <h3>{m.name} <small class="muted">{m.label}</small></h3>
          <p>
            {t("play.medals.grams", { grams: grams(m.grams) })}{" "}
            {m.tiers.map((tier) => (
              <span key={tier.tier} class={`tag medal-${tier.awarded_at ? "held" : "open"}`}>
                {t(`play.medals.tier.${tier.awarded_at ? "held" : "open"}`, {
                  tier: t(`play.medals.${tier.tier}`), grams: grams(tier.grams) })}
              </span>
            ))}
          </p>
          {m.next_tier && (
            <p class="muted">{t("play.medals.next", { tier: t(`play.medals.${m.next_tier}`), grams: grams(m.grams_to_next) })}</p>
          )}
        </div>
      ))}
      {data && data.held.length > 0 && (
        <>
          <h3>{t("play.medals.held")}</h3>
          <ul class="plain">
            {data.held.map((a) => (
              <li key={`${a.code}-${a.label}-${a.tier}`} class="row">
                <span>{a.name} · {t(`play.medals.${a.tier}`)} <small class="muted">{a.label}</small></span>
                <small class="muted">{day(a.awarded_at)}</small>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Rewards({ state }) {
  const { data, error, setData } = state;
  async function more() {
    const page = await api(`/me/rewards?limit=10&cursor=${data.next_cursor}`);
    setData((d) => ({ items: [...d.items, ...page.items], next_cursor: page.next_cursor }));
  }
  return (
    <section class="card" aria-labelledby="rewards-heading">
      <h2 id="rewards-heading">{t("play.rewards.title")}</h2>
      <ErrorNote error={error} />
      {data && data.items.length === 0 && <p class="muted">{t("play.rewards.none")}</p>}
      {data && (
        <ul class="plain">
          {data.items.map((r) => (
            <li key={r.id} class="row">
              <span>
                {rewardText(r)}
                {r.outcome !== "granted" && <small class="muted"> · {t("play.rewards.notPaid")}</small>}
              </span>
              {r.voucher && (
                <span>
                  <code>{r.voucher.code}</code>{" "}
                  <small class="muted">{t("play.rewards.voucher", { value: (r.voucher.face_value_fen / 100).toFixed(2),
                    state: t(`play.rewards.state.${r.voucher.state}`), time: day(r.voucher.expires_at) })}</small>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {data && <More cursor={data.next_cursor} onMore={more} />}
    </section>
  );
}
