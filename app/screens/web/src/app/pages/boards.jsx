// Leaderboards: this week, this month or all time; among friends, my region or everyone;
// the top of the board or the rows around me, and my own position.
import { useState } from "preact/hooks";
import { api } from "../../shared/api.js";
import { grams, num, t } from "../../shared/i18n.js";
import { Choice, ErrorNote, Loading, More, useLoad } from "../../shared/ui.jsx";

/** The leaderboards page. */
export function Boards({ me }) {
  const [period, setPeriod] = useState("week");
  const [scope, setScope] = useState("friends");
  const [around, setAround] = useState(false);
  const query = `period=${period}&scope=${scope}&limit=20${around ? "&around=me" : ""}`;
  const { data, error, setData } = useLoad(() => api(`/leaderboards/energy?${query}`), [query]);

  async function more() {
    const page = await api(`/leaderboards/energy?${query}&cursor=${data.next_cursor}`);
    setData((d) => ({ ...page, entries: [...d.entries, ...page.entries] }));
  }

  return (
    <div>
      <h1>{t("boards.title")}</h1>
      <Choice label={t("boards.period")} value={period} onChange={setPeriod}
        options={[["week", t("boards.week")], ["month", t("boards.month")], ["all", t("boards.all")]]} />
      <Choice label={t("boards.scope")} value={scope} onChange={setScope}
        options={[["friends", t("boards.friends")], ["region", t("boards.region")],
          ["global", t("boards.global")]]} />
      <label class="check">
        <input type="checkbox" checked={around} onChange={(e) => setAround(e.currentTarget.checked)} />
        {t("boards.aroundMe")}
      </label>
      <ErrorNote error={error} />
      {!data && !error && <Loading />}
      {data && !error && (
        <>
          <p class="card me-rank" aria-live="polite">
            {data.me.rank
              ? t("boards.myRank", { rank: num(data.me.rank), grams: grams(data.me.score) })
              : t("boards.notRanked")}
          </p>
          <table class="board">
            <caption class="visually-hidden">
              {t("boards.caption", { period: t(`boards.${period}`), scope: t(`boards.${scope}`) })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("boards.rank")}</th>
                <th scope="col">{t("boards.player")}</th>
                <th scope="col" class="num">{t("boards.energy")}</th>
              </tr>
            </thead>
            <tbody>
              {data.entries.map((e) => (
                <tr key={e.user_id} aria-current={e.user_id === me.id ? "true" : undefined}>
                  <td>{num(e.rank)}</td>
                  <td>{e.display_name}</td>
                  <td class="num">{grams(e.score)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.entries.length === 0 && <p class="muted">{t("boards.empty")}</p>}
          <More cursor={data.next_cursor} onMore={more} />
        </>
      )}
      <Weekly />
    </div>
  );
}

// My finished weeks among friends: rank of how many, my grams, and my duel with the rival.
function Weekly() {
  const { data } = useLoad(() => api("/me/weekly-results?limit=4"), []);
  if (!data || data.items.length === 0) return null;
  return (
    <section class="card" aria-labelledby="weekly-heading">
      <h2 id="weekly-heading">{t("weekly.title")}</h2>
      <ul class="plain">
        {data.items.map((w) => (
          <li key={w.week} class="row">
            <span>
              <strong>{w.week}</strong>{" "}
              {t("weekly.rank", { rank: num(w.rank), players: num(w.players), grams: grams(w.grams) })}
            </span>
            <small class="muted">
              {w.rival ? t(`weekly.outcome.${w.outcome}`, { name: w.rival.display_name,
                grams: grams(w.rival.grams) }) : t("weekly.outcome.alone")}
            </small>
          </li>
        ))}
      </ul>
    </section>
  );
}
