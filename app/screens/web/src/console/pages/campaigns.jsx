// Campaigns (campaign managers, admins): the list, a new campaign (window, time zone, audience,
// goal, rewards, budget pool), and one campaign's page: publish, pause, extend, live figures as
// a chart, participants as CSV. The API checks every change; its refusals are shown as they come.
import { useEffect, useState } from "preact/hooks";
import { api, download } from "../../shared/api.js";
import { locale, num, t } from "../../shared/i18n.js";
import { navigate } from "../../shared/router.js";
import { Choice, ErrorNote, Field, Loading, More, toast, useLoad } from "../../shared/ui.jsx";
import { LineChart } from "../chart.jsx";

const STATES = ["draft", "scheduled", "live", "ended", "settled"];
const GOALS = ["count", "grams", "streak", "energy", "checkins"];
const AUDIENCES = ["everyone", "regions", "joined", "segment"];
const STATS_EVERY_MS = 15_000;
// A campaign this short is charted by hour at first, a longer one by day.
const SHORT_MS = 3 * 86_400_000;

/** A campaign's window as its own time zone's wall-clock times (as the manager set them). */
function windowText(c) {
  const style = { dateStyle: "medium", timeStyle: "short", timeZone: c.timezone };
  const at = (iso) => new Date(iso).toLocaleString(locale, style);
  return `${t("campaign.from", { start: at(c.starts_at), end: at(c.ends_at) })} (${c.timezone})`;
}

/** The local wall time of an ISO moment as `YYYY-MM-DDTHH:MM` (for datetime-local inputs). */
function wall(iso) {
  return iso.slice(0, 16);
}

function inputTime(date) {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function stateTag(campaign) {
  return (
    <span class={`tag state-${campaign.state}`}>
      {t(`campaign.state.${campaign.state}`)}
      {campaign.paused && ` · ${t("campaign.paused")}`}
    </span>
  );
}

/** The goal in words, e.g. "3 × carpool_ride, each player". */
export function goalText(goal) {
  const what = goal.scenarios?.length ? goal.scenarios.join(", ") : goal.topic || "";
  return t(`campaign.goal.${goal.kind}`, { target: num(goal.target), what }) +
    ` · ${t(`campaign.scope.${goal.scope}`)}`;
}

/** The campaigns list with the pools, and links to a new campaign. */
export function Campaigns() {
  const [state, setState] = useState("");
  const query = `/campaigns?limit=20${state ? `&state=${state}` : ""}`;
  const { data, error, setData } = useLoad(() => api(query), [query]);
  async function more() {
    const page = await api(`${query}&cursor=${data.next_cursor}`);
    setData((d) => ({ items: [...d.items, ...page.items], next_cursor: page.next_cursor }));
  }
  return (
    <div>
      <div class="title-row">
        <h1>{t("campaigns.title")}</h1>
        <a class="button primary" href="/console/campaigns/new">{t("campaigns.new")}</a>
      </div>
      <Choice label={t("campaigns.filter")} value={state} onChange={setState}
        options={[["", t("campaigns.all")], ...STATES.map((s) => [s, t(`campaign.state.${s}`)])]} />
      <ErrorNote error={error} />
      {!data && !error && <Loading />}
      {data && data.items.length === 0 && <p class="muted">{t("campaigns.empty")}</p>}
      {data && data.items.length > 0 && (
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">{t("campaign.name")}</th>
              <th scope="col">{t("campaign.state")}</th>
              <th scope="col">{t("campaign.window")}</th>
              <th scope="col">{t("campaign.goal")}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((c) => (
              <tr key={c.id}>
                <td><a href={`/console/campaigns/${c.id}`}>{c.name}</a></td>
                <td>{stateTag(c)}</td>
                <td>{windowText(c)}</td>
                <td>{goalText(c.goal)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && <More cursor={data.next_cursor} onMore={more} />}
      <Pools />
      <Segments />
    </div>
  );
}

function Pools() {
  const { data, error, reload } = useLoad(() => api("/reward-pools"), []);
  const [failure, setFailure] = useState(null);
  async function open(e) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setFailure(null);
    try {
      await api("/reward-pools", { method: "POST", body: {
        name: f.get("name"), sponsor: f.get("sponsor"), unit: f.get("unit"),
        unit_cost: Number(f.get("unit_cost")), total: Number(f.get("total")) } });
      form.reset();
      toast(t("pools.opened"));
      reload();
    } catch (err) {
      setFailure(err);
    }
  }
  return (
    <section class="card" aria-labelledby="pools-heading">
      <h2 id="pools-heading">{t("pools.title")}</h2>
      <ErrorNote error={error} />
      {data && data.length === 0 && <p class="muted">{t("pools.empty")}</p>}
      {data && data.length > 0 && (
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">{t("pools.name")}</th>
              <th scope="col">{t("pools.unit")}</th>
              <th scope="col" class="num">{t("pools.total")}</th>
              <th scope="col" class="num">{t("pools.spent")}</th>
              <th scope="col" class="num">{t("pools.left")}</th>
              <th scope="col">{t("pools.status")}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((p) => (
              <tr key={p.id}>
                <td>{p.name} <small class="muted">{p.sponsor}</small></td>
                <td>{t(`pools.unit.${p.unit}`)} · {num(p.unit_cost)}</td>
                <td class="num">{num(p.total)}</td>
                <td class="num">{num(p.spent)}</td>
                <td class="num">{t("pools.grantsLeft", { n: p.grants_left, remaining: num(p.remaining) })}</td>
                <td>{t(`pools.state.${p.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="inline-form" onSubmit={open}>
        <Field label={t("pools.name")} name="name" required maxLength={120} />
        <Field label={t("pools.sponsor")} name="sponsor" maxLength={120} />
        <Field as="select" label={t("pools.unit")} name="unit">
          {["fen", "grams", "items"].map((u) => <option key={u} value={u}>{t(`pools.unit.${u}`)}</option>)}
        </Field>
        <Field label={t("pools.unitCost")} name="unit_cost" type="number" min="1" step="1" required />
        <Field label={t("pools.total")} name="total" type="number" min="0" step="1" required />
        <button type="submit">{t("pools.open")}</button>
      </form>
      <ErrorNote error={failure} />
    </section>
  );
}

function Segments() {
  const { data, error, reload } = useLoad(() => api("/segments"), []);
  const [failure, setFailure] = useState(null);
  async function save(e) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const body = { name: f.get("name"), region: f.get("region") };
    if (f.get("days")) body.active_within_days = Number(f.get("days"));
    setFailure(null);
    try {
      await api("/segments", { method: "POST", body });
      form.reset();
      toast(t("segments.saved"));
      reload();
    } catch (err) {
      setFailure(err);
    }
  }
  return (
    <section class="card" aria-labelledby="segments-heading">
      <h2 id="segments-heading">{t("segments.title")}</h2>
      <p class="hint">{t("segments.hint")}</p>
      <ErrorNote error={error} />
      {data && data.length > 0 && (
        <ul class="plain">
          {data.map((g) => (
            <li key={g.id} class="row">
              <span>{g.name}</span>
              <small class="muted">
                {g.region || t("segments.anyRegion")} ·{" "}
                {g.active_within_days ? t("segments.activeWithin", { n: g.active_within_days })
                  : t("segments.anyActivity")}
              </small>
            </li>
          ))}
        </ul>
      )}
      <form class="inline-form" onSubmit={save}>
        <Field label={t("segments.name")} name="name" required maxLength={120} />
        <Field label={t("segments.region")} name="region" maxLength={32} />
        <Field label={t("segments.days")} name="days" type="number" min="1" max="365" step="1" />
        <button type="submit">{t("segments.save")}</button>
      </form>
      <ErrorNote error={failure} />
    </section>
  );
}

async function loadChoices() {
  const [scenarios, pools, segments, topics] = await Promise.all([
    api("/scenarios", { anonymous: true }),
    api("/reward-pools"),
    api("/segments"),
    api("/topics"),
  ]);
  return { scenarios, pools: pools.filter((p) => p.status === "open"), segments, topics };
}

function rewardsFrom(f) {
  const rewards = [];
  const grams = Number(f.get("reward_grams") || 0);
  if (grams > 0) rewards.push({ kind: "energy", grams });
  const medal = String(f.get("reward_medal") || "").trim();
  if (medal) rewards.push({ kind: "medal", medal });
  const prop = f.get("reward_prop");
  if (prop) rewards.push({ kind: "prop", prop, quantity: Number(f.get("reward_prop_quantity") || 1) });
  const pool = f.get("voucher_pool");
  if (pool) rewards.push({ kind: "voucher", pool_id: Number(pool), valid_days: Number(f.get("voucher_days") || 30) });
  const cap = f.get("cap_pool");
  if (cap) for (const r of rewards) if (r.kind !== "voucher") r.pool_id = Number(cap);
  return rewards;
}

/** Create a campaign as a draft, then go to its page to publish it. */
export function NewCampaign() {
  const { data, error } = useLoad(loadChoices, []);
  const [audience, setAudience] = useState("everyone");
  const [goal, setGoal] = useState("count");
  const [failure, setFailure] = useState(null);
  const [busy, setBusy] = useState(false);
  if (!data) return error ? <ErrorNote error={error} /> : <Loading />;
  const now = new Date();
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

  async function submit(e) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body = {
      name: f.get("name"),
      description: f.get("description"),
      timezone: f.get("timezone"),
      starts_at: `${f.get("starts_at")}:00`,
      ends_at: `${f.get("ends_at")}:00`,
      audience: { kind: audience },
      goal: { kind: goal, target: Number(f.get("target")), scope: f.get("scope") || "individual" },
      rewards: rewardsFrom(f),
    };
    if (audience === "regions") {
      body.audience.regions = String(f.get("regions")).split(",").map((r) => r.trim()).filter(Boolean);
    }
    if (audience === "segment") body.audience.segment_id = Number(f.get("segment"));
    const scenarios = f.getAll("scenarios");
    if (["count", "grams", "streak"].includes(goal) && scenarios.length) body.goal.scenarios = scenarios;
    if (goal === "checkins" && f.get("topic")) body.goal.topic = f.get("topic");
    setFailure(null);
    setBusy(true);
    try {
      const made = await api("/campaigns", { method: "POST", body });
      toast(t("campaigns.created", { name: made.name }));
      navigate(`/console/campaigns/${made.id}`);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <p class="crumbs"><a href="/console/campaigns">{t("campaigns.title")}</a></p>
      <h1>{t("campaigns.new")}</h1>
      <form class="card form-grid" onSubmit={submit}>
        <Field label={t("campaign.name")} name="name" required maxLength={120} />
        <Field as="textarea" label={t("campaign.description")} name="description" maxLength={2000} rows={3} />
        <fieldset>
          <legend>{t("campaign.window")}</legend>
          <Field label={t("campaign.starts")} name="starts_at" type="datetime-local" required
            defaultValue={inputTime(now)} />
          <Field label={t("campaign.ends")} name="ends_at" type="datetime-local" required
            defaultValue={inputTime(new Date(now.getTime() + 7 * 86_400_000))} />
          <Field label={t("campaign.timezone")} name="timezone" required maxLength={64} defaultValue={zone}
            hint={t("campaign.timezoneHint")} />
        </fieldset>
        <fieldset>
          <legend>{t("campaign.audience")}</legend>
          <Field as="select" label={t("campaign.audienceKind")} name="audience" value={audience}
            onChange={(e) => setAudience(e.currentTarget.value)}>
            {AUDIENCES.map((a) => <option key={a} value={a}>{t(`campaign.audience.${a}`)}</option>)}
          </Field>
          {audience === "regions" && (
            <Field label={t("campaign.regions")} name="regions" required hint={t("campaign.regionsHint")} />
          )}
          {audience === "segment" && (
            <Field as="select" label={t("campaign.segment")} name="segment" required
              hint={t("campaign.segmentHint")}>
              {data.segments.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
            </Field>
          )}
        </fieldset>
        <fieldset>
          <legend>{t("campaign.goal")}</legend>
          <Field as="select" label={t("campaign.goalKind")} name="goal" value={goal}
            onChange={(e) => setGoal(e.currentTarget.value)}>
            {GOALS.map((g) => <option key={g} value={g}>{t(`campaign.goalKind.${g}`)}</option>)}
          </Field>
          <Field label={t("campaign.target")} name="target" type="number" min="1" step="1" required
            defaultValue="3" hint={t(`campaign.targetHint.${goal}`)} />
          <Field as="select" label={t("campaign.scope")} name="scope">
            {["individual", "team", "region"].map((s) => <option key={s} value={s}>{t(`campaign.scope.${s}`)}</option>)}
          </Field>
          {["count", "grams", "streak"].includes(goal) && (
            <Field as="select" label={t("campaign.scenarios")} name="scenarios" multiple size={6}
              hint={t("campaign.scenariosHint")}>
              {data.scenarios.map((s) => <option key={s.code} value={s.code}>{s.name}</option>)}
            </Field>
          )}
          {goal === "checkins" && (
            <Field as="select" label={t("campaign.topic")} name="topic">
              <option value="">{t("campaign.anyTopic")}</option>
              {data.topics.map((tp) => <option key={tp.code} value={tp.code}>{tp.name}</option>)}
            </Field>
          )}
        </fieldset>
        <fieldset>
          <legend>{t("campaign.rewards")}</legend>
          <Field label={t("campaign.rewardGrams")} name="reward_grams" type="number" min="0" step="1" />
          <Field label={t("campaign.rewardMedal")} name="reward_medal" maxLength={120} />
          <Field as="select" label={t("campaign.rewardProp")} name="reward_prop">
            <option value="">{t("campaign.none")}</option>
            {["protection_cover", "double_collect", "revive_card"].map((p) => (
              <option key={p} value={p}>{t(`props.${p}`)}</option>
            ))}
          </Field>
          <Field label={t("campaign.rewardPropQuantity")} name="reward_prop_quantity" type="number"
            min="1" max="100" step="1" defaultValue="1" />
          <Field as="select" label={t("campaign.voucherPool")} name="voucher_pool"
            hint={t("campaign.voucherHint")}>
            <option value="">{t("campaign.none")}</option>
            {data.pools.filter((p) => p.unit === "fen").map((p) => (
              <option key={p.id} value={p.id}>{t("campaign.poolOption", { name: p.name, n: p.grants_left })}</option>
            ))}
          </Field>
          <Field label={t("campaign.voucherDays")} name="voucher_days" type="number" min="1" max="366"
            step="1" defaultValue="30" />
          <Field as="select" label={t("campaign.capPool")} name="cap_pool" hint={t("campaign.capHint")}>
            <option value="">{t("campaign.none")}</option>
            {data.pools.map((p) => (
              <option key={p.id} value={p.id}>{t("campaign.poolOption", { name: p.name, n: p.grants_left })}</option>
            ))}
          </Field>
        </fieldset>
        <ErrorNote error={failure} />
        <button type="submit" class="primary" disabled={busy}>{t("campaigns.createDraft")}</button>
      </form>
    </div>
  );
}

/** One campaign: its state and actions, its live figures, its participants. */
export function CampaignPage({ params }) {
  const id = Number(params.id);
  const { data, error, reload, setData } = useLoad(() => api(`/campaigns/${id}`), [id]);
  const [failure, setFailure] = useState(null);
  if (!data) return error ? <ErrorNote error={error} /> : <Loading />;
  const c = data;

  async function change(body, message) {
    setFailure(null);
    try {
      setData(await api(`/campaigns/${id}`, { method: "PATCH", body }));
      toast(message);
    } catch (err) {
      setFailure(err);
    }
  }

  async function extend(e) {
    e.preventDefault();
    const end = new FormData(e.currentTarget).get("ends_at");
    await change({ ends_at: `${end}:00` }, t("campaign.extended"));
  }

  async function exportCsv() {
    setFailure(null);
    try {
      await download(`/campaigns/${id}/participants.csv`, `campaign-${id}.csv`);
    } catch (err) {
      setFailure(err);
    }
  }

  return (
    <div>
      <p class="crumbs"><a href="/console/campaigns">{t("campaigns.title")}</a></p>
      <div class="title-row">
        <h1>{c.name}</h1>
        {stateTag(c)}
      </div>
      {c.description && <p>{c.description}</p>}
      <dl class="facts">
        <dt>{t("campaign.window")}</dt>
        <dd>{windowText(c)}</dd>
        <dt>{t("campaign.audience")}</dt>
        <dd>{t(`campaign.audience.${c.audience.kind}`)} {c.audience.regions.join(", ")}</dd>
        <dt>{t("campaign.goal")}</dt>
        <dd>{goalText(c.goal)}</dd>
        <dt>{t("campaign.rewards")}</dt>
        <dd>{c.rewards.length ? c.rewards.map((r) => <span class="tag" key={r.id}>{rewardText(r)}</span>)
          : t("campaign.none")}</dd>
      </dl>
      <section class="card actions-row" aria-label={t("campaign.actions")}>
        {c.state === "draft" && (
          <button type="button" class="primary" onClick={() => change({ state: "scheduled" }, t("campaign.published"))}>
            {t("campaign.publish")}
          </button>
        )}
        {c.state === "scheduled" && (
          <button type="button" onClick={() => change({ state: "draft" }, t("campaign.unpublished"))}>
            {t("campaign.unpublish")}
          </button>
        )}
        {["scheduled", "live"].includes(c.state) && (
          <button type="button" onClick={() => change({ paused: !c.paused },
            c.paused ? t("campaign.resumed") : t("campaign.pausedNow"))}>
            {c.paused ? t("campaign.resume") : t("campaign.pause")}
          </button>
        )}
        {c.state !== "draft" && (
          <button type="button" onClick={exportCsv}>{t("campaign.export")}</button>
        )}
      </section>
      {["draft", "scheduled", "live"].includes(c.state) && (
        <form class="inline-form card" onSubmit={extend}>
          <Field label={t("campaign.newEnd")} name="ends_at" type="datetime-local" required
            defaultValue={wall(c.ends_at)} hint={t("campaign.newEndHint", { zone: c.timezone })} />
          <button type="submit">{t("campaign.extend")}</button>
        </form>
      )}
      <ErrorNote error={failure} />
      {c.state !== "draft" && (
        <Stats id={id} short={Date.parse(c.ends_at) - Date.parse(c.starts_at) <= SHORT_MS}
          scope={c.goal.scope} zone={c.timezone}
          onState={(s) => s !== c.state && reload()} />
      )}
    </div>
  );
}

/** A reward in words. */
export function rewardText(r) {
  if (r.kind === "energy") return t("reward.energy", { grams: num(r.grams) });
  if (r.kind === "prop") return t("reward.prop", { prop: t(`props.${r.prop}`), n: r.quantity });
  if (r.kind === "medal") return t("reward.medal", { name: r.medal });
  return t("reward.voucher");
}

function Stats({ id, short, scope, zone, onState }) {
  const [step, setStep] = useState(short ? "hour" : "day");
  const { data, error, reload } = useLoad(() => api(`/campaigns/${id}/stats?step=${step}`), [id, step]);
  useEffect(() => {
    const timer = setInterval(reload, STATS_EVERY_MS);
    return () => clearInterval(timer);
  }, [reload]);
  useEffect(() => {
    if (data) onState(data.state);
  }, [data?.state]);
  if (!data) return error ? <ErrorNote error={error} /> : <Loading />;
  // Buckets are labelled in the campaign's own time zone, like its window.
  const label = (iso) => new Date(iso).toLocaleString(locale, step === "hour"
    ? { hour: "2-digit", minute: "2-digit", timeZone: zone } : { dateStyle: "medium", timeZone: zone });
  const labels = data.series.map((b) => label(b.start));
  let joined = 0;
  let progress = 0;
  const participants = data.series.map((b) => (joined += b.new_participants));
  const cumulative = data.series.map((b) => (progress += b.progress));
  const totals = data.totals;
  return (
    <section aria-labelledby="stats-heading">
      <div class="title-row">
        <h2 id="stats-heading">{t("stats.title")}</h2>
        <Choice label={t("stats.step")} value={step} onChange={setStep}
          options={[["hour", t("stats.hour")], ["day", t("stats.day")]]} />
      </div>
      <dl class="totals stats-totals">
        {["participants", "joined", "completions", "progress", "grams_avoided", "spent",
          "rewards_granted", "rewards_not_paid"].map((k) => (
          <div key={k}>
            <dt>{t(`stats.${k}`)}</dt>
            <dd data-stat={k}>{num(totals[k])}</dd>
          </div>
        ))}
      </dl>
      <div class="charts">
        <LineChart title={t("stats.participantsChart")} labels={labels} values={participants}
          summary={t("stats.chartSummary", { n: num(totals.participants), points: labels.length })} />
        <LineChart title={t("stats.progressChart")} labels={labels} values={cumulative} colour="#0b57d0"
          summary={t("stats.chartSummary", { n: num(totals.progress), points: labels.length })} />
      </div>
      <details>
        <summary>{t("stats.asTable")}</summary>
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">{t("stats.bucket")}</th>
              <th scope="col" class="num">{t("stats.new_participants")}</th>
              <th scope="col" class="num">{t("stats.active_players")}</th>
              <th scope="col" class="num">{t("stats.completions")}</th>
              <th scope="col" class="num">{t("stats.progress")}</th>
              <th scope="col" class="num">{t("stats.grams_avoided")}</th>
            </tr>
          </thead>
          <tbody>
            {data.series.map((b, i) => (
              <tr key={b.start}>
                <td>{labels[i]}</td>
                <td class="num">{num(b.new_participants)}</td>
                <td class="num">{num(b.active_players)}</td>
                <td class="num">{num(b.completions)}</td>
                <td class="num">{num(b.progress)}</td>
                <td class="num">{num(b.grams_avoided)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <Leaders id={id} scope={scope} serial={data} />
      {data.pools.length > 0 && (
        <table class="grid">
          <caption>{t("stats.pools")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("pools.name")}</th>
              <th scope="col" class="num">{t("pools.spentHere")}</th>
              <th scope="col" class="num">{t("pools.left")}</th>
            </tr>
          </thead>
          <tbody>
            {data.pools.map((p) => (
              <tr key={p.pool_id}>
                <td>{p.name}</td>
                <td class="num">{num(p.spent_by_campaign)}</td>
                <td class="num">{num(p.remaining)} / {num(p.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

// The top of the campaign's board, asked again with each refresh of the figures (`serial`).
function Leaders({ id, scope, serial }) {
  const board = scope === "region" ? "regions" : scope === "team" ? "teams" : "players";
  const { data, error } = useLoad(() => api(`/campaigns/${id}/leaderboard?board=${board}&limit=10`),
    [id, board, serial]);
  if (error) return <ErrorNote error={error} />;
  if (!data || data.entries.length === 0) return null;
  return (
    <table class="grid">
      <caption>{t(`stats.board.${board}`)}</caption>
      <thead>
        <tr>
          <th scope="col">{t("boards.rank")}</th>
          <th scope="col">{t("stats.who")}</th>
          <th scope="col" class="num">{t("stats.progress")}</th>
        </tr>
      </thead>
      <tbody>
        {data.entries.map((e) => (
          <tr key={e.id}>
            <td>{num(e.rank)}</td>
            <td>{e.name}</td>
            <td class="num">{num(e.score)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
