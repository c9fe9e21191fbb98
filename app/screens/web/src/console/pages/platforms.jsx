// Partner platforms and their keys (admins): register a platform with the scenarios it may
// report (its scopes), issue a new key (rotation: older keys keep working for the overlap),
// revoke a key at once. A new secret is shown once, here, and never again.
import { useState } from "preact/hooks";
import { api } from "../../shared/api.js";
import { num, t, when } from "../../shared/i18n.js";
import { ErrorNote, Field, Loading, toast, useLoad } from "../../shared/ui.jsx";

async function loadPlatforms() {
  const [platforms, scenarios] = await Promise.all([
    api("/admin/partners"),
    api("/scenarios", { anonymous: true }),
  ]);
  return { platforms, scenarios };
}

/** The partner platforms page. */
export function Platforms() {
  const { data, error, reload } = useLoad(loadPlatforms, []);
  const [secret, setSecret] = useState(null);
  if (!data) return error ? <ErrorNote error={error} /> : <Loading />;
  const issued = (name, key) => {
    setSecret({ name, ...key });
    reload();
  };
  return (
    <div>
      <h1>{t("platforms.title")}</h1>
      {secret && <NewSecret secret={secret} onDone={() => setSecret(null)} />}
      {data.platforms.length === 0 && <p class="muted">{t("platforms.empty")}</p>}
      <ul class="plain">
        {data.platforms.map((p) => <Platform key={p.id} platform={p} onIssued={issued} onChange={reload} />)}
      </ul>
      <NewPlatform scenarios={data.scenarios} onIssued={issued} />
    </div>
  );
}

function NewSecret({ secret, onDone }) {
  async function copy() {
    try {
      await navigator.clipboard.writeText(secret.secret);
      toast(t("platforms.copied"));
    } catch {
      toast(t("platforms.copyFailed"));
    }
  }
  return (
    <section class="card secret" role="alert" aria-labelledby="secret-heading">
      <h2 id="secret-heading">{t("platforms.secretTitle", { name: secret.name })}</h2>
      <p>{t("platforms.secretOnce")}</p>
      <dl class="facts">
        <dt>{t("platforms.keyId")}</dt>
        <dd><code data-key-id>{secret.key_id}</code></dd>
        <dt>{t("platforms.secret")}</dt>
        <dd><code data-secret>{secret.secret}</code></dd>
      </dl>
      <div class="actions-row">
        <button type="button" onClick={copy}>{t("platforms.copy")}</button>
        <button type="button" class="primary" onClick={onDone}>{t("platforms.stored")}</button>
      </div>
    </section>
  );
}

function Platform({ platform, onIssued, onChange }) {
  const [failure, setFailure] = useState(null);
  async function rotate() {
    setFailure(null);
    try {
      const rotation = await api(`/admin/partners/${platform.id}/rotate-secret`, { method: "POST" });
      onIssued(platform.name, rotation.key);
    } catch (err) {
      setFailure(err);
    }
  }
  async function revoke(key) {
    setFailure(null);
    if (!window.confirm(t("platforms.revokeConfirm", { key: key.key_id }))) return;
    try {
      await api(`/admin/partners/${platform.id}/keys/${encodeURIComponent(key.key_id)}/revoke`, {
        method: "POST", body: { reason: t("platforms.revokedFromConsole") } });
      toast(t("platforms.revoked", { key: key.key_id }));
      onChange();
    } catch (err) {
      setFailure(err);
    }
  }
  return (
    <li class="card" aria-labelledby={`platform-${platform.id}`}>
      <div class="title-row">
        <h2 id={`platform-${platform.id}`}>{platform.name}</h2>
        <button type="button" onClick={rotate}>{t("platforms.rotate")}</button>
      </div>
      <dl class="facts">
        <dt>{t("platforms.contact")}</dt>
        <dd>{platform.contact}</dd>
        <dt>{t("platforms.timezone")}</dt>
        <dd>{platform.timezone}</dd>
        <dt>{t("platforms.scopes")}</dt>
        <dd>
          {platform.scenarios.map((s) => <span class="tag" key={s}>{s}</span>)}
          {platform.meter_readings && <span class="tag">{t("platforms.meterReadings")}</span>}
          {!platform.scenarios.length && !platform.meter_readings && t("platforms.noScopes")}
        </dd>
        <dt>{t("platforms.limits")}</dt>
        <dd>{t("platforms.limitsText", { grams: num(platform.daily_budget_grams),
          rpm: num(platform.requests_per_minute) })}</dd>
      </dl>
      <table class="grid">
        <caption class="visually-hidden">{t("platforms.keysOf", { name: platform.name })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("platforms.keyId")}</th>
            <th scope="col">{t("platforms.status")}</th>
            <th scope="col">{t("platforms.created_at")}</th>
            <th scope="col">{t("platforms.expires")}</th>
            <th scope="col"><span class="visually-hidden">{t("platforms.actions")}</span></th>
          </tr>
        </thead>
        <tbody>
          {platform.keys.map((k) => (
            <tr key={k.key_id}>
              <td><code>{k.key_id}</code></td>
              <td>
                <span class={`tag key-${k.status}`}>{t(`platforms.key.${k.status}`)}</span>
                {k.revoked_reason && <small class="muted"> {k.revoked_reason}</small>}
              </td>
              <td>{when(k.created_at)}</td>
              <td>{k.revoked_at ? when(k.revoked_at) : k.expires_at ? when(k.expires_at) : "—"}</td>
              <td>
                {k.status !== "revoked" && k.status !== "expired" && (
                  <button type="button" onClick={() => revoke(k)}
                    aria-label={t("platforms.revokeKey", { key: k.key_id })}>
                    {t("platforms.revoke")}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorNote error={failure} />
    </li>
  );
}

function NewPlatform({ scenarios, onIssued }) {
  const [failure, setFailure] = useState(null);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  async function submit(e) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const body = {
      name: f.get("name"), timezone: f.get("timezone"), contact: f.get("contact"),
      scenarios: f.getAll("scenarios"), meter_readings: f.get("meter_readings") === "on",
    };
    if (f.get("budget")) body.daily_budget_grams = Number(f.get("budget"));
    if (f.get("rpm")) body.requests_per_minute = Number(f.get("rpm"));
    setFailure(null);
    try {
      const made = await api("/admin/partners", { method: "POST", body });
      form.reset();
      toast(t("platforms.created", { name: made.partner.name }));
      onIssued(made.partner.name, made.key);
    } catch (err) {
      setFailure(err);
    }
  }
  return (
    <form class="card" onSubmit={submit}>
      <h2>{t("platforms.new")}</h2>
      <Field label={t("platforms.name")} name="name" required maxLength={120} />
      <Field label={t("platforms.contact")} name="contact" required minLength={3} maxLength={200}
        hint={t("platforms.contactHint")} />
      <Field label={t("platforms.timezone")} name="timezone" required maxLength={64} defaultValue={zone} />
      <fieldset>
        <legend>{t("platforms.scopes")}</legend>
        <p class="hint">{t("platforms.scopesHint")}</p>
        <div class="checks">
          {scenarios.map((s) => (
            <label class="check" key={s.code}>
              <input type="checkbox" name="scenarios" value={s.code} /> {s.name}
            </label>
          ))}
          <label class="check">
            <input type="checkbox" name="meter_readings" /> {t("platforms.meterReadings")}
          </label>
        </div>
      </fieldset>
      <Field label={t("platforms.budget")} name="budget" type="number" min="0" step="1"
        hint={t("platforms.defaultHint")} />
      <Field label={t("platforms.rpm")} name="rpm" type="number" min="1" step="1"
        hint={t("platforms.defaultHint")} />
      <ErrorNote error={failure} />
      <button type="submit" class="primary">{t("platforms.register")}</button>
    </form>
  );
}
