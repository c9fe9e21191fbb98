// Power and recycling: the peak-hour power-saving events of my region (opt in, then my
// result), my bills in a bill-drop programme, and recycling pick-ups (an area's open slots,
// booking one, my pick-ups with their status, cancelling).
import { useState } from "preact/hooks";
import { api, useConfirmationKey } from "../../shared/api.js";
import { useLive } from "../../shared/bus.js";
import { day, hour, kwh, monthName, num, t, when, yuan } from "../../shared/i18n.js";
import { Dialog, ErrorNote, Field, Loading, toast, useLoad } from "../../shared/ui.jsx";

const KINDS = ["paper", "plastic", "metal", "glass", "textiles", "electronics", "other"];

/** The power and recycling page. */
export function Power() {
  const events = useLoad(() => api("/power-events"), []);
  const bills = useLoad(() => api("/me/bills"), []);
  const pickups = useLoad(loadPickups, []);
  useLive((event) => {
    const open = event.type === "live.open";
    if (open || event.type.startsWith("power_event.")) events.reload();
    if (open || event.type === "bill.judged") bills.reload();
    if (open || event.type.startsWith("pickup.")) pickups.reload();
  });
  return (
    <div>
      <h1>{t("power.title")}</h1>
      <Events state={events} />
      <Pickups state={pickups} />
      <Bills state={bills} />
    </div>
  );
}

function Events({ state }) {
  const { data, error, reload } = state;
  return (
    <section aria-labelledby="events-heading">
      <h2 id="events-heading">{t("power.events")}</h2>
      <p class="hint">{t("power.eventsHint")}</p>
      <ErrorNote error={error} />
      {!data && !error && <Loading />}
      {data && data.length === 0 && <p class="muted">{t("power.noEvents")}</p>}
      {data && (
        <ul class="plain">
          {data.map((e) => <EventCard key={e.id} event={e} onJoined={reload} />)}
        </ul>
      )}
    </section>
  );
}

function EventCard({ event: e, onJoined }) {
  const [failure, setFailure] = useState(null);
  const [busy, setBusy] = useState(false);
  const now = Date.now();
  const opens = Date.parse(e.window_start);
  const ends = Date.parse(e.window_end);
  async function join() {
    setBusy(true);
    setFailure(null);
    try {
      await api(`/power-events/${e.id}/join`, { method: "POST" });
      toast(t("power.joined", { name: e.name }));
      onJoined();
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }
  const state = e.me ? e.me.status : now < opens ? "open" : "closed";
  return (
    <li class="card power-event" aria-labelledby={`event-${e.id}`}>
      <div class="title-row">
        <h3 id={`event-${e.id}`}>{e.name}</h3>
        <span class="tag">{t(`power.state.${state}`)}</span>
      </div>
      <p>{t("power.window", { start: when(e.window_start), end: hour(e.window_end) })}</p>
      <p class="muted">{t(`power.rate.${e.payout}`, { yuan: yuan(e.rate_fen_per_kwh) })}</p>
      {state === "open" && (
        <button type="button" class="primary" disabled={busy} onClick={join}>
          {t("power.optIn", { name: e.name })}
        </button>
      )}
      {state === "closed" && <p class="muted">{t("power.optInClosed")}</p>}
      {state === "joined" && (
        <p>{now < ends ? t("power.joinedUse", { start: hour(e.window_start), end: hour(e.window_end) })
          : t("power.awaiting")}</p>
      )}
      {e.me && e.me.status === "settled" && <Result me={e.me} />}
      {e.me && ["no-baseline", "missing-readings"].includes(e.me.status) && (
        <p>{t(`power.result.${e.me.status}`)}</p>
      )}
      <ErrorNote error={failure} />
    </li>
  );
}

function Result({ me }) {
  const unpaid = me.reward_outcome && me.reward_outcome !== "granted";
  return (
    <div class="result">
      <p>
        <strong>{t("power.saved", { kwh: kwh(me.saved_kwh), co2: num(me.co2_g), yuan: yuan(me.reward_fen) })}</strong>
      </p>
      {me.baseline_kwh && me.actual_kwh && (
        <p class="muted">{t("power.compared", { usual: kwh(me.baseline_kwh), actual: kwh(me.actual_kwh) })}</p>
      )}
      {unpaid && <p class="muted">{t("power.unpaid")}</p>}
    </div>
  );
}

function Bills({ state }) {
  const { data, error } = state;
  return (
    <section class="card" aria-labelledby="bills-heading">
      <h2 id="bills-heading">{t("power.bills")}</h2>
      <ErrorNote error={error} />
      {!data && !error && <Loading />}
      {data && data.length === 0 && <p class="muted">{t("power.noBills")}</p>}
      {data && data.map((h) => (
        <div key={`${h.programme_id}-${h.account_ref}`} class="household">
          <p>{t("power.account", { ref: h.account_ref, time: day(h.signed_up_at) })}</p>
          {h.bills.length === 0 ? <p class="muted">{t("power.noBillsYet")}</p> : (
            <table>
              <caption class="visually-hidden">{t("power.billsOf", { ref: h.account_ref })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("power.month")}</th>
                  <th scope="col" class="num">{t("power.amount")}</th>
                  <th scope="col" class="num">{t("power.kwh")}</th>
                  <th scope="col">{t("power.outcome")}</th>
                </tr>
              </thead>
              <tbody>
                {h.bills.map((b) => (
                  <tr key={b.month}>
                    <td class="nowrap">{monthName(b.month)}</td>
                    <td class="num nowrap">{yuan(b.amount_fen)}</td>
                    <td class="num">{num(Number(b.kwh))}</td>
                    <td>{t(`power.bill.${b.outcome}`, { yuan: yuan(b.drop_fen) })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </section>
  );
}

async function loadPickups() {
  const [areas, mine] = await Promise.all([api("/pickup-areas"), api("/me/pickups")]);
  return { areas, mine };
}

function Pickups({ state }) {
  const { data, error, reload } = state;
  const [area, setArea] = useState("");
  const [booking, setBooking] = useState(null);
  const areas = data ? data.areas.map((a) => a.area) : [];
  // My latest pick-up's area first, as that is most likely where I live.
  const preferred = data && (data.mine.map((p) => p.area).find((a) => areas.includes(a)) || areas[0]);
  const shown = areas.includes(area) ? area : preferred || "";
  // Asked again whenever my pick-ups are (a booking or a cancellation moves the places left).
  const slots = useLoad(
    () => (shown ? api(`/pickup-slots?area=${encodeURIComponent(shown)}`) : Promise.resolve([])),
    [shown, data],
  );
  return (
    <section class="card" aria-labelledby="pickups-heading">
      <h2 id="pickups-heading">{t("pickup.title")}</h2>
      <p class="hint">{t("pickup.hint")}</p>
      <ErrorNote error={error} />
      {!data && !error && <Loading />}
      {data && areas.length === 0 && <p class="muted">{t("pickup.noAreas")}</p>}
      {data && areas.length > 0 && (
        <>
          <Field as="select" label={t("pickup.area")} value={shown} onChange={(e) => setArea(e.currentTarget.value)}>
            {data.areas.map((a) => (
              <option key={a.area} value={a.area}>{t("pickup.areaOption", { area: a.area, n: a.places_left })}</option>
            ))}
          </Field>
          <h3>{t("pickup.slots", { area: shown })}</h3>
          <ErrorNote error={slots.error} />
          {slots.data && slots.data.length === 0 && <p class="muted">{t("pickup.noSlots")}</p>}
          {slots.data && (
            <ul class="plain">
              {slots.data.map((s) => (
                <li key={s.id} class="row">
                  <span>
                    {t("pickup.slot", { start: when(s.starts_at), end: hour(s.ends_at) })}
                    <br />
                    <small class="muted">{s.places_left > 0 ? t("pickup.placesLeft", { n: s.places_left }) : t("pickup.full")}</small>
                  </span>
                  <button type="button" disabled={s.places_left <= 0} onClick={() => setBooking(s)}
                    aria-label={t("pickup.bookSlot", { time: when(s.starts_at) })}>
                    {t("pickup.book")}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {data && <MyPickups pickups={data.mine} onChanged={reload} />}
      <Book slot={booking} onClose={() => setBooking(null)} onBooked={reload} />
    </section>
  );
}

function MyPickups({ pickups, onChanged }) {
  const [failure, setFailure] = useState(null);
  async function cancel(p) {
    setFailure(null);
    try {
      await api(`/pickups/${p.id}/cancel`, { method: "POST" });
      toast(t("pickup.cancelled", { time: when(p.slot_starts_at) }));
      onChanged();
    } catch (err) {
      setFailure(err);
    }
  }
  const now = Date.now();
  return (
    <>
      <h3 id="my-pickups-heading">{t("pickup.mine")}</h3>
      <ErrorNote error={failure} />
      {pickups.length === 0 && <p class="muted">{t("pickup.noneMine")}</p>}
      <ul class="plain" aria-labelledby="my-pickups-heading">
        {pickups.map((p) => (
          <li key={p.id} class="row" data-pickup={p.id}>
            <span>
              {t("pickup.slot", { start: when(p.slot_starts_at), end: hour(p.slot_ends_at) })}{" "}
              <span class={`tag pickup-${p.status}`}>{t(`pickup.status.${p.status}`)}</span>
              <br />
              <small class="muted">
                {t("pickup.what", { area: p.area, kinds: p.kinds.map((k) => t(`pickup.kind.${k}`)).join(", "),
                  kg: num(Number(p.estimated_kg)) })}
              </small>
              {p.status === "completed" && (
                <>
                  <br />
                  <small>{t("pickup.weighed", { kg: num(Number(p.weighed_kg)), grams: num(p.grams) })}</small>
                </>
              )}
            </span>
            {["booked", "confirmed"].includes(p.status) && Date.parse(p.slot_starts_at) > now && (
              <button type="button" onClick={() => cancel(p)}
                aria-label={t("pickup.cancelSlot", { time: when(p.slot_starts_at) })}>
                {t("pickup.cancel")}
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

function Book({ slot, onClose, onBooked }) {
  const [failure, setFailure] = useState(null);
  const [busy, setBusy] = useState(false);
  const key = useConfirmationKey(slot);
  function close() {
    key.closed();
    setFailure(null);
    onClose();
  }
  async function submit(e) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const kinds = form.getAll("kinds");
    setFailure(null);
    if (kinds.length === 0) {
      setFailure(new Error(t("pickup.pickKinds")));
      return;
    }
    setBusy(true);
    try {
      const body = { slot_id: slot.id, address: String(form.get("address")).trim(), kinds,
        estimated_kg: String(form.get("kg")) };
      await api("/pickups", { method: "POST", body, idempotencyKey: key.value });
      toast(t("pickup.booked", { time: when(slot.starts_at) }));
      close();
      onBooked();
    } catch (err) {
      key.refused(err);
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog title={t("pickup.bookTitle")} open={Boolean(slot)} onClose={close}>
      {slot && (
        <form onSubmit={submit}>
          <p>{t("pickup.slot", { start: when(slot.starts_at), end: hour(slot.ends_at) })} · {slot.area}</p>
          <Field label={t("pickup.address")} name="address" required maxLength={160} autoComplete="street-address" />
          <fieldset>
            <legend>{t("pickup.kinds")}</legend>
            {KINDS.map((k) => (
              <label class="check" key={k}>
                <input type="checkbox" name="kinds" value={k} />
                {t(`pickup.kind.${k}`)}
              </label>
            ))}
          </fieldset>
          <Field label={t("pickup.kg")} name="kg" type="number" inputMode="decimal" min="0.1" max="99999"
            step="0.1" required defaultValue="5" hint={t("pickup.kgHint")} />
          <ErrorNote error={failure} />
          <div class="actions-row">
            <button type="submit" class="primary" disabled={busy}>{t("pickup.confirm")}</button>
            <button type="button" onClick={close}>{t("action.cancel")}</button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
