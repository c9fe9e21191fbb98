// Planting partner organisations (admins): register one, attach a planting_partner user.
import { useState } from "preact/hooks";
import { api } from "../../shared/api.js";
import { t } from "../../shared/i18n.js";
import { ErrorNote, Field, Loading, toast, useLoad } from "../../shared/ui.jsx";

/** The planting partners page. */
export function Partners() {
  const { data, error, reload } = useLoad(() => api("/admin/planting-partners"), []);
  const [failure, setFailure] = useState(null);
  if (!data) return error ? <ErrorNote error={error} /> : <Loading />;

  async function create(e) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setFailure(null);
    try {
      await api("/admin/planting-partners", { method: "POST",
        body: { name: form.get("name"), region: form.get("region") } });
      e.currentTarget?.reset?.();
      toast(t("partners.created"));
      reload();
    } catch (err) {
      setFailure(err);
    }
  }

  return (
    <div>
      <h1>{t("partners.title")}</h1>
      <ul class="plain">
        {data.map((p) => <Partner key={p.id} partner={p} />)}
      </ul>
      <form class="card" onSubmit={create}>
        <h2>{t("partners.new")}</h2>
        <Field label={t("partners.name")} name="name" required maxLength={120} />
        <Field label={t("projects.region")} name="region" maxLength={32} />
        <ErrorNote error={failure} />
        <button type="submit" class="primary">{t("partners.create")}</button>
      </form>
    </div>
  );
}

function Partner({ partner }) {
  const [failure, setFailure] = useState(null);
  async function attach(e) {
    e.preventDefault();
    setFailure(null);
    const username = new FormData(e.currentTarget).get("username").trim().toLowerCase();
    try {
      const found = await api(`/players?q=${encodeURIComponent(username)}&limit=5`);
      const user = found.find((u) => u.username.toLowerCase() === username);
      if (!user) throw new Error(t("partners.noSuchUser", { username }));
      await api(`/admin/planting-partners/${partner.id}/members`, { method: "POST", body: { user_id: user.id } });
      toast(t("partners.attached", { username, name: partner.name }));
    } catch (err) {
      setFailure(err);
    }
  }
  return (
    <li class="card">
      <h2>{partner.name} <small class="muted">{partner.region}</small></h2>
      <form class="inline-form" onSubmit={attach}>
        <Field label={t("partners.attach")} name="username" required pattern="[A-Za-z0-9_]{3,32}"
          hint={t("partners.attachHint")} />
        <button type="submit">{t("partners.attachButton")}</button>
      </form>
      <ErrorNote error={failure} />
    </li>
  );
}
