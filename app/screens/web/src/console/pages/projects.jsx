// Planting projects and their yearly quota per species: open one, pause or close it, change
// its quota (never below this year's use; the API refuses that).
import { useState } from "preact/hooks";
import { api } from "../../shared/api.js";
import { num, t } from "../../shared/i18n.js";
import { ErrorNote, Field, Loading, toast, useLoad } from "../../shared/ui.jsx";

async function loadProjects() {
  const [projects, partners, species] = await Promise.all([
    api("/planting-projects"),
    api("/admin/planting-partners"),
    api("/species", { anonymous: true }),
  ]);
  return { projects, partners, species };
}

/** The projects page. */
export function Projects() {
  const { data, error, reload } = useLoad(loadProjects, []);
  if (!data) return error ? <ErrorNote error={error} /> : <Loading />;
  const partnerName = Object.fromEntries(data.partners.map((p) => [p.id, p.name]));
  const speciesName = Object.fromEntries(data.species.map((s) => [s.code, s.name]));
  return (
    <div>
      <h1>{t("projects.title")}</h1>
      <table class="grid">
        <thead>
          <tr>
            <th scope="col">{t("projects.name")}</th>
            <th scope="col">{t("projects.species")}</th>
            <th scope="col">{t("projects.partner")}</th>
            <th scope="col" class="num">{t("projects.used", { year: "" })}</th>
            <th scope="col">{t("projects.quota")}</th>
            <th scope="col">{t("projects.status")}</th>
          </tr>
        </thead>
        <tbody>
          {data.projects.map((p) => (
            <ProjectRow key={p.id} project={p} partner={partnerName[p.partner_id]}
              species={speciesName[p.species] || p.species} onChange={reload} />
          ))}
        </tbody>
      </table>
      <NewProject partners={data.partners} species={data.species} onDone={reload} />
    </div>
  );
}

function ProjectRow({ project, partner, species, onChange }) {
  const [failure, setFailure] = useState(null);
  async function patch(body) {
    setFailure(null);
    try {
      await api(`/planting-projects/${project.id}`, { method: "PATCH", body });
      toast(t("projects.saved", { name: project.name }));
      onChange();
    } catch (err) {
      setFailure(err);
    }
  }
  function saveQuota(e) {
    e.preventDefault();
    patch({ quota_per_year: Number(new FormData(e.currentTarget).get("quota")) });
  }
  return (
    <tr>
      <td>{project.name}<br /><small class="muted">{project.place}</small></td>
      <td>{species}</td>
      <td>{partner || project.partner_id}</td>
      <td class="num">{num(project.used_this_year)} / {num(project.quota_per_year)}</td>
      <td>
        <form class="inline-form" onSubmit={saveQuota}>
          <label class="visually-hidden" for={`quota-${project.id}`}>
            {t("projects.quotaOf", { name: project.name })}
          </label>
          <input id={`quota-${project.id}`} name="quota" type="number" min="0" step="1" size="6"
            defaultValue={project.quota_per_year} required />
          <button type="submit">{t("action.save")}</button>
        </form>
        <ErrorNote error={failure} />
      </td>
      <td>
        <label class="visually-hidden" for={`status-${project.id}`}>
          {t("projects.statusOf", { name: project.name })}
        </label>
        <select id={`status-${project.id}`} value={project.status}
          onChange={(e) => patch({ status: e.currentTarget.value })}>
          {["active", "paused", "closed"].map((s) => <option key={s} value={s}>{t(`projects.${s}`)}</option>)}
        </select>
      </td>
    </tr>
  );
}

function NewProject({ partners, species, onDone }) {
  const [failure, setFailure] = useState(null);
  async function submit(e) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setFailure(null);
    try {
      await api("/planting-projects", { method: "POST", body: {
        name: form.get("name"), partner_id: Number(form.get("partner")), species: form.get("species"),
        place: form.get("place"), quota_per_year: Number(form.get("quota")), region: form.get("region"),
      } });
      e.currentTarget?.reset?.();
      toast(t("projects.opened"));
      onDone();
    } catch (err) {
      setFailure(err);
    }
  }
  return (
    <form class="card" onSubmit={submit}>
      <h2>{t("projects.new")}</h2>
      <Field label={t("projects.name")} name="name" required maxLength={120} />
      <Field as="select" label={t("projects.partner")} name="partner" required>
        {partners.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
      </Field>
      <Field as="select" label={t("projects.species")} name="species" required>
        {species.map((s) => <option key={s.code} value={s.code}>{s.name}</option>)}
      </Field>
      <Field label={t("projects.place")} name="place" required maxLength={200} />
      <Field label={t("projects.region")} name="region" maxLength={32} />
      <Field label={t("projects.quota")} name="quota" type="number" min="1" step="1" required />
      <ErrorNote error={failure} />
      <button type="submit" class="primary">{t("projects.open")}</button>
    </form>
  );
}
