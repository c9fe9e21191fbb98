// The moderation queue: open cases, most reported first, with the content, its photos, the
// reports' reasons and flags, and actions on the content or its author.
import { useState } from "preact/hooks";
import { api } from "../../shared/api.js";
import { t, when } from "../../shared/i18n.js";
import { ErrorNote, Loading, More, useLoad } from "../../shared/ui.jsx";
import { ActionForm, contentActions } from "../moderate.jsx";

/** The queue page. */
export function Queue() {
  const { data, error, reload, setData } = useLoad(() => api("/moderation/queue?limit=20"), []);
  if (!data) return error ? <ErrorNote error={error} /> : <Loading />;

  async function more() {
    const page = await api(`/moderation/queue?limit=20&cursor=${data.next_cursor}`);
    setData((d) => ({ items: [...d.items, ...page.items], next_cursor: page.next_cursor }));
  }

  return (
    <div>
      <div class="title-row">
        <h1>{t("queue.title")}</h1>
        <button type="button" onClick={reload}>{t("action.refresh")}</button>
      </div>
      {data.items.length === 0 && <p class="muted">{t("queue.empty")}</p>}
      <ol class="plain cases">
        {data.items.map((item) => <Case key={item.case_id} item={item} onDone={reload} />)}
      </ol>
      <More cursor={data.next_cursor} onMore={more} />
    </div>
  );
}

function Case({ item, onDone }) {
  const [state, setState] = useState(item.state);
  return (
    <li class="card case" aria-labelledby={`case-${item.case_id}`}>
      <header>
        <h2 id={`case-${item.case_id}`}>
          {t(`queue.kind.${item.target_kind}`, { id: item.target_id })}
          {item.topic && <small class="muted"> · {item.topic}</small>}
        </h2>
        <span class={`tag state-${state}`}>{t(`state.${state}`)}</span>
      </header>
      <p class="muted">
        {item.author ? (
          <a href={`/console/players/${item.author.id}`}>
            {t("queue.by", { name: item.author.display_name, username: item.author.username })}
          </a>
        ) : t("queue.deleted")}{" "}
        · {t("queue.opened", { time: when(item.opened_at) })}
      </p>
      {item.text && <blockquote class="text">{item.text}</blockquote>}
      {item.photos.length > 0 && (
        <div class="photos">
          {item.photos.map((p, i) => (
            <a key={p.url} href={p.url} target="_blank" rel="noopener">
              <img src={p.thumb_url} alt={t("queue.photo", { n: i + 1 })} width={p.thumb_width}
                height={p.thumb_height} loading="lazy" />
            </a>
          ))}
        </div>
      )}
      <p>
        <strong>{t("queue.reports", { n: item.report_count })}</strong>{" "}
        {Object.entries(item.reasons).map(([reason, n]) => (
          <span class="tag" key={reason}>{t(`reason.${reason}`)} × {n}</span>
        ))}
        {item.flags.map((f) => <span class="tag flag" key={f}>{t(`flag.${f}`)}</span>)}
      </p>
      {state !== "deleted" && (
        <div class="case-actions">
          <ActionForm target={{ kind: item.target_kind, id: item.target_id }} actions={contentActions(state)}
            onDone={(entry) => {
              setState(entry.action === "restore" ? "visible" : entry.action === "hide" ? "hidden" : "removed");
              onDone();
            }} />
          {item.author && (
            <ActionForm target={{ kind: "player", id: item.author.id }} actions={["warn", "suspend", "lift"]}
              onDone={onDone} />
          )}
        </div>
      )}
    </li>
  );
}
