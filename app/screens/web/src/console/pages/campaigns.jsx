// Campaigns (campaign managers): create and schedule, live stats as a chart, export.
// The campaigns API is not in this server yet, so this page says so instead of showing
// anything made up. When it lands, the list goes here (GET /campaigns), with a page per
// campaign (GET /campaigns/{id}, /progress, /leaderboard) registered in console/main.jsx.
import { t } from "../../shared/i18n.js";

/** The campaigns page, waiting for its API. */
export function Campaigns() {
  return (
    <div>
      <h1>{t("campaigns.title")}</h1>
      <p class="notice" role="note">{t("campaigns.pending")}</p>
      <p><a href="/console/projects">{t("campaigns.meanwhile")}</a></p>
    </div>
  );
}
