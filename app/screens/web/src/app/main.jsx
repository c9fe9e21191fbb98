// The player client: sign-in, then the forest, friends, feed, boards, campaigns, trees, the
// store, power and recycling, with live events from one websocket for the whole session.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import "../styles/base.css";
import "../styles/app.css";
import { api } from "../shared/api.js";
import { emitLive, nameOf, rememberPlayers } from "../shared/bus.js";
import { grams, kwh, monthName, num, t, when, yuan } from "../shared/i18n.js";
import { connectLive } from "../shared/live.js";
import { Login } from "../shared/login.jsx";
import { match, usePath } from "../shared/router.js";
import { currentSession, onSessionChange } from "../shared/session.js";
import { refreshUnread, setUnread, useUnread } from "../shared/unread.js";
import { ErrorNote, Loading, Toasts, toast } from "../shared/ui.jsx";
import { Icon } from "./icons.jsx";
import { Boards } from "./pages/boards.jsx";
import { Campaigns } from "./pages/campaigns.jsx";
import { Feed } from "./pages/feed.jsx";
import { Forest } from "./pages/forest.jsx";
import { FriendForest } from "./pages/friend-forest.jsx";
import { Friends } from "./pages/friends.jsx";
import { Inbox } from "./pages/inbox.jsx";
import { Me } from "./pages/me.jsx";
import { Power } from "./pages/power.jsx";
import { Store } from "./pages/store.jsx";
import { Trees } from "./pages/trees.jsx";

document.body.dataset.base = "/app";

// Pages in menu order; `nav` is the label key of those shown in the menu. Seven fit a phone's
// width with their labels, so Me lives in the top bar (next to the inbox) and Power and
// recycling is reached from Me and from the store.
const PAGES = [
  { path: "/app", page: Forest, nav: "nav.forest", icon: "forest" },
  { path: "/app/friends", page: Friends, nav: "nav.friends", icon: "friends" },
  { path: "/app/friends/:id", page: FriendForest },
  { path: "/app/feed", page: Feed, nav: "nav.feed", icon: "feed" },
  { path: "/app/boards", page: Boards, nav: "nav.boards", icon: "boards" },
  { path: "/app/campaigns", page: Campaigns, nav: "nav.campaigns", icon: "campaigns" },
  { path: "/app/trees", page: Trees, nav: "nav.trees", icon: "trees" },
  { path: "/app/store", page: Store, nav: "nav.store", icon: "store" },
  { path: "/app/power", page: Power },
  { path: "/app/inbox", page: Inbox },
  { path: "/app/me", page: Me },
];

/** What a settled power-saving event says: the saving, or why there is none. */
function settledText(d) {
  if (d.status !== "settled") return t(`power.result.${d.status}`);
  return t("live.powerSettled", { name: d.name, kwh: kwh(d.saved_kwh), co2: num(d.co2_g), yuan: yuan(d.reward_fen) });
}

function announce(event, me) {
  const d = event.data || {};
  // Events name the other player; a friend's name we already know wins over the one sent.
  const who = (id) => nameOf(id, d.by_name || d.from_name || t("live.someone"));
  const messages = {
    "bubble.stolen": () => t("live.stolen", { name: who(d.by_user_id), grams: grams(d.grams) }),
    "friend.watered": () => t("live.watered", { name: who(d.by_user_id), grams: grams(d.grams) }),
    "bubble.ripe": () => t("live.ripe", { grams: grams(d.grams) }),
    "friend.request": () => t("live.friendRequest", { name: who(d.from_user_id) }),
    "friend.accepted": () => t("live.friendAccepted", { name: who(d.friend_id) }),
    "post.liked": () => t("live.liked", { name: who(d.by_user_id) }),
    "post.commented": () => t("live.commented", { name: who(d.by_user_id) }),
    "moderation.action": () => t(`live.moderation.${d.action}`, { reason: d.reason }),
    "planting.status": () => t("live.planting", { status: t(`planting.${d.status}`) }),
    "rank.changed": () => t("live.rank"),
    "bubble.helped": () => t("live.helped", { name: who(d.by_user_id), grams: grams(d.grams) }),
    "bubble.revived": () => t("live.revived", { name: who(d.by_user_id), grams: grams(d.grams) }),
    "campaign.completed": () => t("live.campaignCompleted"),
    "reward.granted": () => t("live.rewardGranted"),
    "pickup.confirmed": () => t("live.pickupConfirmed"),
    "pickup.completed": () => t("live.pickupCompleted", { kg: num(Number(d.weighed_kg)), grams: grams(d.grams) }),
    "power_event.invited": () => t("live.powerInvited", { name: d.name, time: when(d.window_start) }),
    "power_event.settled": () => settledText(d),
    "bill.judged": () => t(d.outcome === "voucher" ? "live.billVoucher" : "live.billJudged",
      { month: monthName(d.month), yuan: yuan(d.drop_fen) }),
  };
  if (messages[event.type] && me) toast(messages[event.type]());
}

function Shell({ me }) {
  const path = usePath().replace(/\/$/, "") || "/app";
  const [live, setLive] = useState("connecting");
  useEffect(
    () =>
      connectLive({
        onEvent: (event) => {
          if (event.type === "notification.new") setUnread(event.data.unread);
          emitLive(event);
          announce(event, me);
        },
        onStatus: (status) => {
          setLive(status);
          if (status === "open") {
            refreshUnread();
            emitLive({ type: "live.open" });
          }
        },
      }),
    [],
  );
  useEffect(() => {
    // Friends' names let live events say who did what.
    api("/friends?limit=100").then((page) => rememberPlayers(page.items), () => {});
  }, []);
  let found = null;
  for (const entry of PAGES) {
    const params = match(entry.path, path);
    if (params) {
      found = { entry, params };
      break;
    }
  }
  const Page = found ? found.entry.page : NotFound;
  return (
    <>
      <a class="skip" href="#main">
        {t("nav.skip")}
      </a>
      <header class="topbar">
        <a class="brand" href="/app">
          {t("app.name")}
        </a>
        <span class="topbar-end">
          <InboxLink current={path === "/app/inbox"} />
          <a class="top-link" href="/app/me" aria-label={t("nav.me")}
            aria-current={path === "/app/me" ? "page" : undefined}>
            <Icon name="me" />
          </a>
          <span class={`live ${live}`} role="status">
            {t(`live.status.${live}`)}
          </span>
        </span>
      </header>
      <nav class="tabs" aria-label={t("nav.label")}>
        {PAGES.filter((p) => p.nav).map((p) => {
          const current = p.path === "/app" ? path === "/app" : path.startsWith(p.path);
          return (
            <a href={p.path} aria-current={current ? "page" : undefined} key={p.path}>
              <Icon name={p.icon} />
              {t(p.nav)}
            </a>
          );
        })}
      </nav>
      <main id="main" tabIndex={-1}>
        <Page params={found?.params || {}} me={me} />
      </main>
      <Toasts />
    </>
  );
}

function InboxLink({ current }) {
  const unread = useUnread();
  useEffect(() => {
    refreshUnread();
  }, []);
  const label = unread ? t("inbox.linkUnread", { n: unread }) : t("inbox.title");
  return (
    <a class="inbox-link" href="/app/inbox" aria-label={label} aria-current={current ? "page" : undefined}>
      <Icon name="bell" />
      {unread > 0 && (
        <span class="badge" data-unread={unread} aria-hidden="true">
          {unread > 99 ? "99+" : unread}
        </span>
      )}
    </a>
  );
}

function NotFound() {
  return <p>{t("state.notFound")}</p>;
}

function App() {
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
  if (!session) {
    return (
      <>
        <Login title={t("app.name")} allowRegister />
        <Toasts />
      </>
    );
  }
  if (error) return <ErrorNote error={error} />;
  if (!me) return <Loading />;
  return <Shell me={me} />;
}

const root = document.getElementById("root");
root.textContent = "";
render(<App />, root);
