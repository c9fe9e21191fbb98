// The notification inbox: what happened while I was away, newest first, unread ones marked;
// mark one or all read, remove one; and what I want to be notified of, with quiet hours.
import { useState } from "preact/hooks";
import { api } from "../../shared/api.js";
import { nameOf, useLive } from "../../shared/bus.js";
import { grams, num, t, when } from "../../shared/i18n.js";
import { setUnread } from "../../shared/unread.js";
import { ErrorNote, Loading, More, toast, useLoad } from "../../shared/ui.jsx";

/** A notification in words, from its kind and its event's data. */
export function notificationText(n) {
  const d = n.data || {};
  const who = nameOf(d.by_user_id ?? d.from_user_id, d.by_name || d.from_name || t("live.someone"));
  const params = { name: who, grams: grams(d.grams ?? 0), rank: num(d.rank ?? 0),
    players: num(d.players ?? 0), action: d.action ? t(`inbox.moderation.${d.action}`) : "",
    reason: d.reason || "", event: d.name || "", rate: num(d.rate_fen_per_kwh ?? 0),
    message: d.message || "" };
  const key = `inbox.kind.${n.kind}`;
  const text = t(key, params);
  // A kind newer than these screens still reads as something, not as its key.
  return text === key ? t("inbox.kind.other", { type: n.type }) : text;
}

/** The inbox page. */
export function Inbox() {
  const { data, error, reload, setData } = useLoad(() => api("/me/notifications?limit=20"), []);
  const [failure, setFailure] = useState(null);
  useLive((event) => {
    if (event.type === "notification.new" || event.type === "live.open") reload();
  });
  if (!data) return error ? <ErrorNote error={error} /> : <Loading />;

  async function mark(body) {
    setFailure(null);
    try {
      const answer = await api("/me/notifications/read", { method: "POST", body });
      setUnread(answer.unread);
      const ids = body.ids ? new Set(body.ids) : null;
      setData((d) => ({ ...d, unread: answer.unread,
        items: d.items.map((n) => (!ids || ids.has(n.id) ? { ...n, read: true } : n)) }));
    } catch (err) {
      setFailure(err);
    }
  }
  async function remove(n) {
    setFailure(null);
    try {
      await api(`/me/notifications/${n.id}`, { method: "DELETE" });
      setData((d) => ({ ...d, items: d.items.filter((i) => i.id !== n.id) }));
      api("/me/notifications/unread-count").then((a) => setUnread(a.unread), () => {});
    } catch (err) {
      setFailure(err);
    }
  }
  async function more() {
    const page = await api(`/me/notifications?limit=20&cursor=${data.next_cursor}`);
    setData((d) => ({ ...page, items: [...d.items, ...page.items] }));
  }

  return (
    <div>
      <div class="title-row">
        <h1>{t("inbox.title")}</h1>
        <button type="button" onClick={() => mark({ all: true })} disabled={data.unread === 0}>
          {t("inbox.markAll")}
        </button>
      </div>
      <p class="muted" aria-live="polite">{t("inbox.unread", { n: data.unread })}</p>
      <ErrorNote error={failure} />
      {data.items.length === 0 && <p class="muted">{t("inbox.empty")}</p>}
      <ul class="plain card inbox">
        {data.items.map((n) => (
          <li key={n.id} class={`row ${n.read ? "read" : "unread"}`}>
            <span>
              {!n.read && <span class="dot" aria-hidden="true" />}
              {!n.read && <span class="visually-hidden">{t("inbox.new")} </span>}
              {notificationText(n)}
              <small class="muted"> · {when(n.created_at)}</small>
            </span>
            <span class="actions-row">
              {!n.read && (
                <button type="button" onClick={() => mark({ ids: [n.id] })}
                  aria-label={t("inbox.markOne", { text: notificationText(n) })}>
                  {t("inbox.markRead")}
                </button>
              )}
              <button type="button" class="ghost" onClick={() => remove(n)}
                aria-label={t("inbox.removeOne", { text: notificationText(n) })}>
                {t("inbox.remove")}
              </button>
            </span>
          </li>
        ))}
      </ul>
      <More cursor={data.next_cursor} onMore={more} />
      <Settings />
    </div>
  );
}

function kindName(kind) {
  const key = `inbox.kindName.${kind}`;
  const name = t(key);
  return name === key ? kind.replaceAll("_", " ") : name;
}

function Settings() {
  const { data, error, setData } = useLoad(() => api("/me/notification-settings"), []);
  const [failure, setFailure] = useState(null);
  if (!data) return error ? <ErrorNote error={error} /> : <Loading />;
  async function save(e) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const kinds = {};
    for (const kind of Object.keys(data.kinds)) {
      kinds[kind] = { inbox: f.get(`${kind}.inbox`) === "on", push: f.get(`${kind}.push`) === "on" };
    }
    const start = f.get("quiet_start");
    const end = f.get("quiet_end");
    const body = { kinds, quiet_hours: start && end ? { start, end } : null };
    setFailure(null);
    try {
      setData(await api("/me/notification-settings", { method: "PUT", body }));
      toast(t("inbox.settingsSaved"));
    } catch (err) {
      setFailure(err);
    }
  }
  return (
    <form class="card" onSubmit={save} aria-labelledby="settings-heading">
      <h2 id="settings-heading">{t("inbox.settings")}</h2>
      <table class="grid">
        <caption class="visually-hidden">{t("inbox.settings")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("inbox.kind")}</th>
            <th scope="col">{t("inbox.inInbox")}</th>
            <th scope="col">{t("inbox.push")}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(data.kinds).map(([kind, choice]) => (
            <tr key={kind}>
              <th scope="row" id={`kind-${kind}`}>{kindName(kind)}</th>
              <td>
                <input type="checkbox" name={`${kind}.inbox`} defaultChecked={choice.inbox}
                  aria-label={t("inbox.inboxFor", { kind: kindName(kind) })} />
              </td>
              <td>
                <input type="checkbox" name={`${kind}.push`} defaultChecked={choice.push}
                  aria-label={t("inbox.pushFor", { kind: kindName(kind) })} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <fieldset>
        <legend>{t("inbox.quiet")}</legend>
        <p class="hint">{t("inbox.quietHint", { zone: data.timezone })}</p>
        <div class="inline-form">
          <div class="field">
            <label for="quiet-start">{t("inbox.quietStart")}</label>
            <input id="quiet-start" type="time" name="quiet_start" defaultValue={data.quiet_hours?.start || ""} />
          </div>
          <div class="field">
            <label for="quiet-end">{t("inbox.quietEnd")}</label>
            <input id="quiet-end" type="time" name="quiet_end" defaultValue={data.quiet_hours?.end || ""} />
          </div>
        </div>
      </fieldset>
      <ErrorNote error={failure} />
      <button type="submit" class="primary">{t("inbox.save")}</button>
    </form>
  );
}
