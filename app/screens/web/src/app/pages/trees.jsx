// Trees: the species I grow, applying to plant a real tree, my plantings and certificates.
import { useState } from "preact/hooks";
import { api, download } from "../../shared/api.js";
import { useLive } from "../../shared/bus.js";
import { day, grams, t } from "../../shared/i18n.js";
import { ErrorNote, Loading, toast, useLoad } from "../../shared/ui.jsx";

async function loadTrees() {
  const [species, tree, plantings] = await Promise.all([
    api("/species", { anonymous: true }),
    api("/me/tree"),
    api("/plantings?limit=50"),
  ]);
  return { species, tree, plantings };
}

/** The trees page. */
export function Trees() {
  const { data, error, reload } = useLoad(loadTrees, []);
  const [failure, setFailure] = useState(null);
  const [busy, setBusy] = useState(false);
  useLive((event) => {
    if (event.type === "planting.status") reload();
  });
  if (!data) return error ? <ErrorNote error={error} /> : <Loading />;
  const { species, tree, plantings } = data;

  async function grow(code) {
    setFailure(null);
    try {
      await api("/me/tree", { method: "PUT", body: { species: code } });
      reload();
    } catch (err) {
      setFailure(err);
    }
  }

  async function plant() {
    setFailure(null);
    setBusy(true);
    try {
      await api("/plantings", { method: "POST", idempotent: true, body: { species: tree.species } });
      toast(t("trees.applied", { name: tree.name }));
      reload();
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <h1>{t("trees.title")}</h1>
      <ErrorNote error={failure} />
      <section class="card grow">
        <img src={tree.image} alt={t("tree.alt", { name: tree.name, stage: tree.stage_name })}
          width="120" height="120" />
        <div>
          <h2>{t("tree.heading", { name: tree.name })}</h2>
          <p>{t("trees.cost", { cost: grams(tree.energy_grams), balance: grams(tree.balance) })}</p>
          <button type="button" class="primary" disabled={!tree.can_plant || busy} onClick={plant}>
            {t("trees.plant", { name: tree.name })}
          </button>
          {!tree.can_plant && (
            <p class="muted">{t("trees.needMore", { grams: grams(tree.energy_grams - tree.balance) })}</p>
          )}
        </div>
      </section>
      <section class="card">
        <h2>{t("trees.plantings")}</h2>
        {plantings.items.length === 0 && <p class="muted">{t("trees.noPlantings")}</p>}
        <ul class="plain">
          {plantings.items.map((p) => <Planting key={p.id} planting={p} />)}
        </ul>
      </section>
      <section>
        <h2>{t("trees.species")}</h2>
        <ul class="species">
          {species.map((s) => (
            <li key={s.code} class="card">
              <img src={s.stages[s.stages.length - 1].image} alt="" width="96" height="96" loading="lazy" />
              <div>
                <h3>{s.name} <small class="muted"><i>{s.latin}</i></small></h3>
                <p>{t("trees.speciesLine", { cost: grams(s.energy_grams), region: s.region,
                  partner: s.planting_partner })}</p>
                <p class="muted">{s.description}</p>
                {s.code === tree.species && tree.chosen ? (
                  <p class="tag">{t("trees.growing")}</p>
                ) : (
                  <button type="button" onClick={() => grow(s.code)}>
                    {t("trees.grow", { name: s.name })}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function Planting({ planting }) {
  const [failure, setFailure] = useState(null);
  async function certificate() {
    setFailure(null);
    try {
      await download(planting.certificate.replace("/api/v1", ""), `certificate-${planting.id}.png`);
    } catch (err) {
      setFailure(err);
    }
  }
  return (
    <li class="row">
      <span>
        <strong>{planting.tree_number}</strong> · {planting.project}{" "}
        <span class="tag">{t(`planting.${planting.status}`)}</span>
        <br />
        <small class="muted">
          {planting.place} · {day(planting.created_at)} · {t("trees.code", { code: planting.verification_code })}
        </small>
      </span>
      <button type="button" onClick={certificate}>
        {t("trees.certificate")}
      </button>
      <ErrorNote error={failure} />
    </li>
  );
}
