// Me: my profile, my carbon account by period, the pages the menu has no room for (power and
// recycling, the store, the inbox), and signing out.
import { api } from "../../shared/api.js";
import { grams, t } from "../../shared/i18n.js";
import { signOut } from "../../shared/session.js";
import { ErrorNote, Loading, useLoad } from "../../shared/ui.jsx";

const PERIODS = ["today", "week", "month", "all"];

/** The profile page. */
export function Me({ me }) {
  const { data, error } = useLoad(() => api("/me/carbon"), []);

  return (
    <div>
      <h1>{me.display_name}</h1>
      <p class="muted">
        @{me.username} · {t(`role.${me.role}`)} {me.region && `· ${me.region}`}
      </p>
      <nav aria-label={t("me.more")}>
        <ul class="links">
          <li><a href="/app/power">{t("me.power")}</a></li>
          <li><a href="/app/store">{t("me.store")}</a></li>
          <li><a href="/app/inbox">{t("me.inbox")}</a></li>
          {me.role !== "player" && <li><a href="/console">{t("me.console")}</a></li>}
        </ul>
      </nav>
      <section class="card">
        <h2>{t("me.carbon")}</h2>
        <ErrorNote error={error} />
        {!data && !error && <Loading />}
        {data && (
          <dl class="totals">
            {PERIODS.map((p) => (
              <div key={p}>
                <dt>{t(`me.period.${p}`)}</dt>
                <dd>{grams(data.totals[p] || 0)}</dd>
              </div>
            ))}
          </dl>
        )}
        <p class="hint">{t("me.carbonHint")}</p>
      </section>
      <button type="button" onClick={signOut}>{t("me.signOut")}</button>
    </div>
  );
}
