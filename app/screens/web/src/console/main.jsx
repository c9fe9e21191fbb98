// The staff console. Every page names the roles that may open it: the menu shows only those,
// and opening another one explains why not (the API checks the role again on every call).
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import "../styles/base.css";
import "../styles/console.css";
import { api } from "../shared/api.js";
import { t } from "../shared/i18n.js";
import { Login } from "../shared/login.jsx";
import { match, usePath } from "../shared/router.js";
import { currentSession, onSessionChange, signOut } from "../shared/session.js";
import { ErrorNote, Loading, Toasts } from "../shared/ui.jsx";
import { Audit } from "./pages/audit.jsx";
import { CampaignPage, Campaigns, NewCampaign } from "./pages/campaigns.jsx";
import { Partners } from "./pages/partners.jsx";
import { Platforms } from "./pages/platforms.jsx";
import { PlayerHistory, Players } from "./pages/players.jsx";
import { Projects } from "./pages/projects.jsx";
import { Queue } from "./pages/queue.jsx";

document.body.dataset.base = "/console";

const MODERATORS = ["moderator", "admin"];
const MANAGERS = ["campaign_manager", "admin"];
const ADMINS = ["admin"];

// The console's pages; `nav` is the menu label key of those listed in the menu.
const PAGES = [
  { path: "/console/queue", page: Queue, roles: MODERATORS, nav: "console.nav.queue" },
  { path: "/console/audit", page: Audit, roles: MODERATORS, nav: "console.nav.audit" },
  { path: "/console/players", page: Players, roles: MODERATORS, nav: "console.nav.players" },
  { path: "/console/players/:id", page: PlayerHistory, roles: MODERATORS },
  { path: "/console/campaigns", page: Campaigns, roles: MANAGERS, nav: "console.nav.campaigns" },
  { path: "/console/campaigns/:id", page: CampaignPage, roles: MANAGERS },
  // After `:id`: the last pattern that matches wins, so `new` is not read as an id.
  { path: "/console/campaigns/new", page: NewCampaign, roles: MANAGERS },
  { path: "/console/projects", page: Projects, roles: MANAGERS, nav: "console.nav.projects" },
  { path: "/console/partners", page: Partners, roles: ADMINS, nav: "console.nav.partners" },
  { path: "/console/platforms", page: Platforms, roles: ADMINS, nav: "console.nav.platforms" },
];

function Shell({ me }) {
  const path = usePath().replace(/\/$/, "");
  const mine = PAGES.filter((p) => p.roles.includes(me.role));
  if (mine.length === 0) {
    return (
      <main id="main" class="login">
        <h1>{t("console.title")}</h1>
        <p role="alert">{t("console.notStaff")}</p>
        <p><a href="/app">{t("console.toApp")}</a></p>
        <button type="button" onClick={signOut}>{t("me.signOut")}</button>
      </main>
    );
  }
  let found = null;
  for (const entry of PAGES) {
    const params = match(entry.path, path);
    if (params) found = { entry, params };
  }
  const landing = mine.find((p) => p.nav);
  const entry = found?.entry || landing;
  const allowed = entry.roles.includes(me.role);
  const Page = entry.page;
  return (
    <div class="console">
      <a class="skip" href="#main">{t("nav.skip")}</a>
      <header class="topbar">
        <a class="brand" href="/console">{t("console.title")}</a>
        <span class="muted">{me.display_name} · {t(`role.${me.role}`)}</span>
        <button type="button" class="ghost" onClick={signOut}>
          {t("me.signOut")}
        </button>
      </header>
      <nav class="side" aria-label={t("nav.label")}>
        {mine.filter((p) => p.nav).map((p) => (
          <a key={p.path} href={p.path} aria-current={path.startsWith(p.path) ? "page" : undefined}>
            {t(p.nav)}
          </a>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        {allowed ? <Page params={found?.params || {}} me={me} /> : <p role="alert">{t("console.notAllowed")}</p>}
      </main>
      <Toasts />
    </div>
  );
}

function Console() {
  const [session, setSession] = useState(currentSession());
  const [me, setMe] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => onSessionChange(setSession), []);
  const signedIn = Boolean(session);
  useEffect(() => {
    setMe(null);
    setError(null);
    if (signedIn) api("/me").then(setMe, setError);
  }, [signedIn]);
  if (!session) return <Login title={t("console.title")} allowRegister={false} />;
  if (error) return <ErrorNote error={error} />;
  if (!me) return <Loading />;
  return <Shell me={me} />;
}

const root = document.getElementById("root");
root.textContent = "";
render(<Console />, root);
