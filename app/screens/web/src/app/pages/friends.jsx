// Friends: my friends (to visit), requests waiting for me or for them, and finding players.
import { useState } from "preact/hooks";
import { api } from "../../shared/api.js";
import { rememberPlayers, useLive } from "../../shared/bus.js";
import { t } from "../../shared/i18n.js";
import { Avatar, ErrorNote, Field, Loading, More, toast, useLoad } from "../../shared/ui.jsx";

async function loadFriends() {
  const [friends, incoming, outgoing] = await Promise.all([
    api("/friends?limit=50"),
    api("/friends/requests?direction=incoming"),
    api("/friends/requests?direction=outgoing"),
  ]);
  rememberPlayers(friends.items);
  rememberPlayers(incoming.map((r) => r.sender));
  return { friends, incoming, outgoing };
}

/** The friends page. */
export function Friends() {
  const { data, error, reload, setData } = useLoad(loadFriends, []);
  const [failure, setFailure] = useState(null);
  useLive((event) => {
    if (["friend.request", "friend.accepted", "live.open"].includes(event.type)) reload();
  });
  if (!data) return error ? <ErrorNote error={error} /> : <Loading />;

  async function answer(request, verb) {
    setFailure(null);
    try {
      await api(`/friends/requests/${request.id}/${verb}`, { method: "POST" });
      reload();
    } catch (err) {
      setFailure(err);
    }
  }

  async function more() {
    const page = await api(`/friends?limit=50&cursor=${data.friends.next_cursor}`);
    rememberPlayers(page.items);
    setData((d) => ({ ...d, friends: { items: [...d.friends.items, ...page.items],
      next_cursor: page.next_cursor } }));
  }

  return (
    <div>
      <h1>{t("friends.title")}</h1>
      <ErrorNote error={failure} />
      {data.incoming.length > 0 && (
        <section class="card">
          <h2>{t("friends.incoming")}</h2>
          <ul class="plain">
            {data.incoming.map((r) => (
              <li key={r.id} class="row">
                <span><Avatar name={r.sender.display_name} /> {r.sender.display_name}</span>
                <span class="actions-row">
                  <button type="button" class="primary" onClick={() => answer(r, "accept")}>
                    {t("friends.accept")}
                  </button>
                  <button type="button" onClick={() => answer(r, "decline")}>
                    {t("friends.decline")}
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section class="card">
        <h2>{t("friends.mine")}</h2>
        {data.friends.items.length === 0 && <p class="muted">{t("friends.none")}</p>}
        <ul class="plain">
          {data.friends.items.map((f) => (
            <li key={f.id} class="row">
              <span><Avatar name={f.display_name} /> {f.display_name} <small class="muted">@{f.username}</small></span>
              <a class="button" href={`/app/friends/${f.id}`}>
                {t("friends.visit", { name: f.display_name })}
              </a>
            </li>
          ))}
        </ul>
        <More cursor={data.friends.next_cursor} onMore={more} />
      </section>
      {data.outgoing.length > 0 && (
        <section class="card">
          <h2>{t("friends.outgoing")}</h2>
          <ul class="plain">
            {data.outgoing.map((r) => (
              <li key={r.id} class="row">
                <span>{r.recipient.display_name}</span>
                <button type="button" onClick={() => answer(r, "decline")}>
                  {t("friends.withdraw")}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <Suggestions onAsked={reload} />
      <FindPlayers onAsked={reload} />
    </div>
  );
}

function FindPlayers({ onAsked }) {
  const [results, setResults] = useState(null);
  const [failure, setFailure] = useState(null);

  async function search(e) {
    e.preventDefault();
    setFailure(null);
    const q = new FormData(e.currentTarget).get("q").trim();
    if (!q) return;
    try {
      setResults(await api(`/players?q=${encodeURIComponent(q)}&limit=10`));
    } catch (err) {
      setFailure(err);
    }
  }

  async function ask(player) {
    setFailure(null);
    try {
      const outcome = await api("/friends/requests", { method: "POST", body: { user_id: player.id } });
      toast(outcome.became_friends ? t("friends.nowFriends", { name: player.display_name })
        : t("friends.asked", { name: player.display_name }));
      onAsked();
    } catch (err) {
      setFailure(err);
    }
  }

  return (
    <section class="card">
      <h2>{t("friends.find")}</h2>
      <form onSubmit={search} class="inline-form" role="search">
        <Field label={t("friends.searchLabel")} name="q" pattern="[A-Za-z0-9_]{1,32}" required />
        <button type="submit">{t("friends.search")}</button>
      </form>
      <ErrorNote error={failure} />
      {results && results.length === 0 && <p class="muted">{t("friends.noResults")}</p>}
      {results && (
        <ul class="plain">
          {results.map((p) => (
            <li key={p.id} class="row">
              <span>{p.display_name} <small class="muted">@{p.username}</small></span>
              <button type="button" onClick={() => ask(p)}>{t("friends.ask")}</button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Suggestions({ onAsked }) {
  const { data, reload } = useLoad(() => api("/friends/suggestions?limit=5"), []);
  const [failure, setFailure] = useState(null);
  if (!data || data.length === 0) return null;
  async function ask(player) {
    setFailure(null);
    try {
      const outcome = await api("/friends/requests", { method: "POST", body: { user_id: player.id } });
      toast(outcome.became_friends ? t("friends.nowFriends", { name: player.display_name })
        : t("friends.asked", { name: player.display_name }));
      reload();
      onAsked();
    } catch (err) {
      setFailure(err);
    }
  }
  return (
    <section class="card" aria-labelledby="suggestions-heading">
      <h2 id="suggestions-heading">{t("friends.suggestions")}</h2>
      <ErrorNote error={failure} />
      <ul class="plain">
        {data.map((s) => (
          <li key={s.player.id} class="row">
            <span>
              <Avatar name={s.player.display_name} /> {s.player.display_name}{" "}
              <small class="muted">{s.reason === "mutual_friends"
                ? t("friends.mutual", { n: s.mutual_friends }) : t("friends.sameRegion")}</small>
            </span>
            <button type="button" onClick={() => ask(s.player)}
              aria-label={t("friends.askNamed", { name: s.player.display_name })}>
              {t("friends.ask")}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
