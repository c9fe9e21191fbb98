// The audit log: every moderation action, newest first.
import { api } from "../../shared/api.js";
import { t, when } from "../../shared/i18n.js";
import { ErrorNote, Loading, More, useLoad } from "../../shared/ui.jsx";

/** A table of audit entries. */
export function AuditTable({ items }) {
  return (
    <table class="grid">
      <thead>
        <tr>
          <th scope="col">{t("audit.when")}</th>
          <th scope="col">{t("audit.who")}</th>
          <th scope="col">{t("audit.action")}</th>
          <th scope="col">{t("audit.target")}</th>
          <th scope="col">{t("audit.player")}</th>
          <th scope="col">{t("audit.reason")}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((e) => (
          <tr key={e.id}>
            <td>{when(e.created_at)}</td>
            <td>{e.moderator ? e.moderator.display_name : t("audit.system")}</td>
            <td>
              {t(`moderation.action.${e.action}`)}
              {e.until && <small class="muted"> {t("audit.until", { time: when(e.until) })}</small>}
            </td>
            <td>{t(`queue.kind.${e.target_kind}`, { id: e.target_id })}</td>
            <td><a href={`/console/players/${e.affected_user.id}`}>{e.affected_user.display_name}</a></td>
            <td>{e.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The audit log page. */
export function Audit() {
  const { data, error, setData } = useLoad(() => api("/moderation/audit?limit=50"), []);
  if (!data) return error ? <ErrorNote error={error} /> : <Loading />;
  async function more() {
    const page = await api(`/moderation/audit?limit=50&cursor=${data.next_cursor}`);
    setData((d) => ({ items: [...d.items, ...page.items], next_cursor: page.next_cursor }));
  }
  return (
    <div>
      <h1>{t("audit.title")}</h1>
      {data.items.length === 0 ? <p class="muted">{t("audit.empty")}</p> : <AuditTable items={data.items} />}
      <More cursor={data.next_cursor} onMore={more} />
    </div>
  );
}
