// Sign in and (for players) create an account; shared by the player client and the console.
import { useState } from "preact/hooks";
import { api, login } from "./api.js";
import { t } from "./i18n.js";
import { storeTokens } from "./session.js";
import { Choice, ErrorNote, Field } from "./ui.jsx";

/** The sign-in page; `allowRegister` adds the "Create account" tab. */
export function Login({ title, allowRegister }) {
  const [mode, setMode] = useState("login");
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(e) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const username = form.get("username").trim();
    const password = form.get("password");
    setBusy(true);
    setError(null);
    try {
      if (mode === "register") {
        const body = {
          username,
          password,
          timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || undefined,
        };
        const name = form.get("display_name").trim();
        const region = form.get("region").trim();
        if (name) body.display_name = name;
        if (region) body.region = region;
        await api("/auth/register", { method: "POST", body, anonymous: true });
      }
      storeTokens(await login(username, password));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <main class="login" id="main">
      <h1>{title}</h1>
      <p class="lede">{t("login.lede")}</p>
      {allowRegister && (
        <Choice
          label={t("login.mode")}
          value={mode}
          onChange={(m) => {
            setMode(m);
            setError(null);
          }}
          options={[
            ["login", t("login.signIn")],
            ["register", t("login.register")],
          ]}
        />
      )}
      <form onSubmit={submit} class="card">
        <Field label={t("login.username")} name="username" autocomplete="username" required
          pattern={mode === "register" ? "[A-Za-z0-9_]{3,32}" : undefined} maxLength={32} hint={mode === "register" ? t("login.usernameHint") : null} />
        <Field label={t("login.password")} name="password" type="password" required minLength={mode === "register" ? 8 : undefined}
          autocomplete={mode === "register" ? "new-password" : "current-password"}
          hint={mode === "register" ? t("login.passwordHint") : null} />
        {mode === "register" && (
          <>
            <Field label={t("login.displayName")} name="display_name" autocomplete="nickname" maxLength={64} />
            <Field label={t("login.region")} name="region" hint={t("login.regionHint")} maxLength={16} />
          </>
        )}
        <ErrorNote error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {mode === "register" ? t("login.createAccount") : t("login.signIn")}
        </button>
      </form>
    </main>
  );
}
