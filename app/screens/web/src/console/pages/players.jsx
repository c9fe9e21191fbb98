// Finding a player and reading their moderation history, with the actions on a player.
import { useState } from "preact/hooks";
import { api } from "../../shared/api.js";
import { t } from "../../shared/i18n.js";
import { ErrorNote, Field, Loading, More, useLoad } from "../../shared/ui.jsx";
import { ActionForm } from "../moderate.jsx";
import { AuditTable } from "./audit.jsx";

/** Search players by username. */
export function Players() {
  const [results, setResults] = useState(null);
  const [failure, setFailure] = useState(null);
  async function search(e) {
    e.preventDefault();
    setFailure(null);
    const q = new FormData(e.currentTarget).get("q").trim();
    try {
      setResults(await api(`/players?q=${encodeURIComponent(q)}&limit=20`));
    } catch (err) {
      setFailure(err);
    }
  }
  return (
    <div>
      <h1>{t("players.title")}</h1>
      <form onSubmit={search} class="inline-form" role="search">
        <Field label={t("players.search")} name="q" required pattern="[A-Za-z0-9_]{1,32}" />
        <button type="submit">{t("friends.search")}</button>
      </form>
      <ErrorNote error={failure} />
      {results && results.length === 0 && <p class="muted">{t("friends.noResults")}</p>}
      {results && (
        <ul class="plain">
          {results.map((p) => (
            <li key={p.id} class="row">
              <span>{p.display_name} <small class="muted">@{p.username} · {p.region}</small></span>
              <a class="button" href={`/console/players/${p.id}`}>{t("players.history")}</a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** One player's moderation history and the actions on them. */
export function PlayerHistory({ params }) {
  const id = Number(params.id);
  const { data, error, reload, setData } = useLoad(() => api(`/moderation/audit?user_id=${id}&limit=50`), [id]);
  if (!data) return error ? <ErrorNote error={error} /> : <Loading />;
  const name = data.items[0]?.affected_user.display_name;
  async function more() {
    const page = await api(`/moderation/audit?user_id=${id}&limit=50&cursor=${data.next_cursor}`);
    setData((d) => ({ items: [...d.items, ...page.items], next_cursor: page.next_cursor }));
  }
  return (
    <div>
      <p class="crumbs"><a href="/console/players">{t("console.nav.players")}</a></p>
      <h1>{name ? t("players.historyOf", { name }) : t("players.historyOfId", { id })}</h1>
      <section class="card">
        <ActionForm target={{ kind: "player", id }} actions={["warn", "suspend", "lift"]} onDone={reload} />
      </section>
      {data.items.length === 0 ? <p class="muted">{t("players.clean")}</p> : <AuditTable items={data.items} />}
      <More cursor={data.next_cursor} onMore={more} />
    </div>
  );
}
