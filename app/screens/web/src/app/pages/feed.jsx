// The community feed: friends, everyone or one topic; photos, likes, comments and reports;
// and posting a check-in with photos.
import { useState } from "preact/hooks";
import { api } from "../../shared/api.js";
import { rememberPlayers } from "../../shared/bus.js";
import { t, when } from "../../shared/i18n.js";
import { Avatar, Choice, Dialog, ErrorNote, Field, Loading, More, toast, useLoad } from "../../shared/ui.jsx";

const REASONS = ["spam", "abuse", "harassment", "nudity", "violence", "misinformation", "other"];

/** The feed page. */
export function Feed() {
  const [scope, setScope] = useState("global");
  const [topic, setTopic] = useState("");
  const [posting, setPosting] = useState(false);
  const topics = useLoad(() => api("/topics", { anonymous: true }), []);
  const query = scope === "topic" ? `scope=topic&topic=${topic}` : `scope=${scope}`;
  const waiting = scope === "topic" && !topic;
  const feed = useLoad(async () => {
    if (waiting) return { items: [], next_cursor: null };
    const page = await api(`/feed?${query}&limit=10`);
    rememberPlayers(page.items.map((c) => c.author));
    return page;
  }, [query]);
  const names = Object.fromEntries((topics.data || []).map((x) => [x.code, x.name]));

  async function more() {
    const page = await api(`/feed?${query}&limit=10&cursor=${feed.data.next_cursor}`);
    feed.setData((d) => ({ items: [...d.items, ...page.items], next_cursor: page.next_cursor }));
  }

  return (
    <div>
      <div class="title-row">
        <h1>{t("feed.title")}</h1>
        <button type="button" class="primary" onClick={() => setPosting(true)}>
          {t("feed.checkIn")}
        </button>
      </div>
      <Choice label={t("feed.scope")} value={scope} onChange={setScope}
        options={[["global", t("feed.global")], ["friends", t("feed.friends")], ["topic", t("feed.topic")]]} />
      {scope === "topic" && (
        <Field as="select" label={t("feed.pickTopic")} value={topic}
          onChange={(e) => setTopic(e.currentTarget.value)}>
          <option value="">{t("feed.chooseTopic")}</option>
          {(topics.data || []).map((x) => <option value={x.code} key={x.code}>{x.name}</option>)}
        </Field>
      )}
      <ErrorNote error={feed.error} />
      {!feed.data && !feed.error && <Loading />}
      {feed.data && feed.data.items.length === 0 && !waiting && <p class="muted">{t("feed.empty")}</p>}
      <ol class="plain posts">
        {(feed.data?.items || []).map((c) => (
          <Post key={c.id} checkin={c} topicName={names[c.topic] || c.topic}
            onGone={() => feed.setData((d) => ({ ...d, items: d.items.filter((i) => i.id !== c.id) }))} />
        ))}
      </ol>
      <More cursor={feed.data?.next_cursor} onMore={more} />
      <Dialog title={t("feed.checkIn")} open={posting} onClose={() => setPosting(false)}>
        <CheckinForm topics={topics.data || []} onDone={() => {
          setPosting(false);
          feed.reload();
        }} />
      </Dialog>
    </div>
  );
}

function Post({ checkin, topicName, onGone }) {
  const [c, setC] = useState(checkin);
  const [open, setOpen] = useState(false);
  const [photo, setPhoto] = useState(null);
  const [reporting, setReporting] = useState(false);
  const [failure, setFailure] = useState(null);

  async function like() {
    setFailure(null);
    try {
      const out = await api(`/checkins/${c.id}/like`, { method: c.liked_by_me ? "DELETE" : "POST" });
      setC({ ...c, liked_by_me: out.liked, like_count: out.like_count });
    } catch (err) {
      setFailure(err);
    }
  }

  return (
    <li class="card post" aria-labelledby={`post-${c.id}`}>
      <header>
        <Avatar name={c.author.display_name} />
        <div>
          <strong id={`post-${c.id}`}>{c.author.display_name}</strong>
          <small class="muted"> · {topicName} · {when(c.created_at)}</small>
        </div>
        {c.state !== "visible" && <span class="tag">{t(`state.${c.state}`)}</span>}
      </header>
      {c.text && <p class="text">{c.text}</p>}
      {c.photos.length > 0 && (
        <div class="photos">
          {c.photos.map((p, i) => (
            <button type="button" class="photo" key={p.url} onClick={() => setPhoto(p)}
              aria-label={t("feed.openPhoto", { n: i + 1, name: c.author.display_name })}>
              <img src={p.thumb_url} alt="" width={p.thumb_width} height={p.thumb_height} loading="lazy" />
            </button>
          ))}
        </div>
      )}
      <div class="actions-row">
        <button type="button" aria-pressed={String(c.liked_by_me)} onClick={like}>
          {c.liked_by_me ? "♥" : "♡"} {t("feed.likes", { n: c.like_count })}
        </button>
        <button type="button" aria-expanded={String(open)} onClick={() => setOpen(!open)}>
          {t("feed.comments", { n: c.comment_count })}
        </button>
        <button type="button" class="ghost" onClick={() => setReporting(true)}>{t("feed.report")}</button>
      </div>
      <ErrorNote error={failure} />
      {open && <Comments checkin={c} onAdded={() => setC({ ...c, comment_count: c.comment_count + 1 })} />}
      <Dialog title={t("feed.photo")} open={Boolean(photo)} onClose={() => setPhoto(null)}>
        {photo && <img class="full" src={photo.url} alt={t("feed.photoAlt", { name: c.author.display_name })}
          width={photo.width} height={photo.height} />}
      </Dialog>
      <Dialog title={t("feed.reportTitle")} open={reporting} onClose={() => setReporting(false)}>
        <ReportForm kind="checkin" id={c.id} onDone={() => { setReporting(false); onGone(); }} />
      </Dialog>
    </li>
  );
}

function Comments({ checkin, onAdded }) {
  const { data, error, reload } = useLoad(() => api(`/checkins/${checkin.id}/comments?limit=50`), [checkin.id]);
  const [failure, setFailure] = useState(null);
  async function add(e) {
    e.preventDefault();
    const form = e.currentTarget;
    setFailure(null);
    try {
      await api(`/checkins/${checkin.id}/comments`, { method: "POST", body: { text: form.text.value } });
      form.reset();
      onAdded();
      reload();
    } catch (err) {
      setFailure(err);
    }
  }
  return (
    <div class="comments">
      <ErrorNote error={error} />
      <ul class="plain">
        {(data?.items || []).map((m) => (
          <li key={m.id}>
            <strong>{m.author.display_name}</strong> {m.text}
            {m.state !== "visible" && <span class="tag">{t(`state.${m.state}`)}</span>}
          </li>
        ))}
      </ul>
      <form onSubmit={add} class="inline-form">
        <Field label={t("feed.addComment")} name="text" required maxLength={500} />
        <button type="submit">{t("feed.send")}</button>
      </form>
      <ErrorNote error={failure} />
    </div>
  );
}

function ReportForm({ kind, id, onDone }) {
  const [failure, setFailure] = useState(null);
  async function submit(e) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    try {
      await api("/reports", { method: "POST", body: { target_kind: kind, target_id: id,
        reason: form.get("reason"), note: form.get("note") } });
      toast(t("feed.reported"));
      onDone();
    } catch (err) {
      setFailure(err);
    }
  }
  return (
    <form onSubmit={submit}>
      <Field as="select" label={t("feed.reason")} name="reason">
        {REASONS.map((r) => <option value={r} key={r}>{t(`reason.${r}`)}</option>)}
      </Field>
      <Field as="textarea" label={t("feed.note")} name="note" maxLength={500} rows={3} />
      <ErrorNote error={failure} />
      <button type="submit" class="primary">{t("feed.sendReport")}</button>
    </form>
  );
}

function CheckinForm({ topics, onDone }) {
  const [previews, setPreviews] = useState([]);
  const [failure, setFailure] = useState(null);
  const [busy, setBusy] = useState(false);

  function pick(e) {
    for (const p of previews) URL.revokeObjectURL(p);
    setPreviews([...e.currentTarget.files].slice(0, 9).map((f) => URL.createObjectURL(f)));
  }

  async function submit(e) {
    e.preventDefault();
    setFailure(null);
    setBusy(true);
    const source = new FormData(e.currentTarget);
    const form = new FormData();
    form.append("topic", source.get("topic"));
    form.append("text", source.get("text"));
    for (const file of source.getAll("photos")) if (file.size > 0) form.append("photos", file);
    try {
      const posted = await api("/checkins", { method: "POST", form });
      toast(posted.state === "held" ? t("feed.held") : t("feed.posted"));
      onDone();
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit}>
      <Field as="select" label={t("feed.topicLabel")} name="topic" required>
        {topics.map((x) => <option value={x.code} key={x.code}>{x.name}</option>)}
      </Field>
      <Field as="textarea" label={t("feed.textLabel")} name="text" maxLength={2000} rows={4} />
      <Field label={t("feed.photosLabel")} name="photos" type="file" multiple
        accept="image/jpeg,image/png,image/webp" onChange={pick} hint={t("feed.photosHint")} />
      {previews.length > 0 && (
        <div class="photos">
          {previews.map((src) => <img key={src} src={src} alt={t("feed.preview")} width="96" height="96" />)}
        </div>
      )}
      <ErrorNote error={failure} />
      <button type="submit" class="primary" disabled={busy}>{t("feed.post")}</button>
    </form>
  );
}
