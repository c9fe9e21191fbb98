// The low-carbon store: the shelf priced in energy or store credit, redeeming one unit after a
// confirmation, the voucher it issued, my vouchers, and my store credit with its history.
import { useState } from "preact/hooks";
import { api, useConfirmationKey } from "../../shared/api.js";
import { useLive } from "../../shared/bus.js";
import { day, grams, num, t, when, yuan } from "../../shared/i18n.js";
import { Dialog, ErrorNote, Loading, More, toast, useLoad } from "../../shared/ui.jsx";

// Events after which what I own (vouchers, credit) may have changed.
const MINE_CHANGED = ["voucher.redeemed", "voucher.voided", "reward.granted", "power_event.settled",
  "bill.judged", "store.redeemed", "live.open"];

async function loadShelf() {
  const [items, tree] = await Promise.all([api("/store/items"), api("/me/tree")]);
  return { items, energy: tree.balance };
}

/** The store page: shelf, my vouchers, my store credit. */
export function Store() {
  const shelf = useLoad(loadShelf, []);
  const credit = useLoad(() => api("/me/store-credit?limit=10"), []);
  const vouchers = useLoad(() => api("/me/vouchers?limit=10"), []);
  const [chosen, setChosen] = useState(null);
  useLive((event) => {
    if (!MINE_CHANGED.includes(event.type)) return;
    credit.reload();
    vouchers.reload();
    if (event.type === "live.open") shelf.reload();
  });
  const balances = shelf.data && credit.data ? { energy: shelf.data.energy, credit: credit.data.balance_fen } : null;

  function redeemed() {
    shelf.reload();
    credit.reload();
    vouchers.reload();
  }

  return (
    <div>
      <h1>{t("store.title")}</h1>
      <section class="card" aria-labelledby="wallet-heading">
        <h2 id="wallet-heading">{t("store.wallet")}</h2>
        <ErrorNote error={shelf.error || credit.error} />
        {!balances && !shelf.error && !credit.error && <Loading />}
        {balances && (
          <dl class="totals">
            <div>
              <dt>{t("store.energy")}</dt>
              <dd data-energy={balances.energy}>{grams(balances.energy)}</dd>
            </div>
            <div>
              <dt>{t("store.credit")}</dt>
              <dd data-credit={balances.credit}>{yuan(balances.credit)}</dd>
            </div>
          </dl>
        )}
        <p class="hint">
          <a href="/app/power">{t("store.earnCredit")}</a>
        </p>
      </section>
      <section aria-labelledby="shelf-heading">
        <h2 id="shelf-heading">{t("store.shelf")}</h2>
        {shelf.data && shelf.data.items.length === 0 && <p class="muted">{t("store.empty")}</p>}
        {shelf.data && balances && (
          <ul class="plain">
            {shelf.data.items.map((item) => (
              <Item key={item.id} item={item} balances={balances} onRedeem={() => setChosen(item)} />
            ))}
          </ul>
        )}
      </section>
      <Vouchers state={vouchers} />
      <Credit state={credit} />
      <Redeem item={chosen} balances={balances} onClose={() => setChosen(null)} onDone={redeemed} />
    </div>
  );
}

/** What an item costs, in its currency. */
function price(item) {
  return item.currency === "energy"
    ? t("store.price.energy", { grams: grams(item.price) })
    : t("store.price.credit", { yuan: yuan(item.price) });
}

/** Why I cannot redeem this item now, or null when I can. */
function blocker(item, balances) {
  if (item.stock <= 0) return t("store.soldOut");
  if (item.redeemed_by_me >= item.per_player_limit) return t("store.limitReached", { n: item.per_player_limit });
  const have = item.currency === "energy" ? balances.energy : balances.credit;
  if (have < item.price) {
    const short = item.price - have;
    return item.currency === "energy"
      ? t("store.needEnergy", { grams: grams(short) })
      : t("store.needCredit", { yuan: yuan(short) });
  }
  return null;
}

function Item({ item, balances, onRedeem }) {
  const why = blocker(item, balances);
  return (
    <li class="card store-item" aria-labelledby={`item-${item.id}`}>
      <div class="title-row">
        <h3 id={`item-${item.id}`}>{item.name}</h3>
        <span class="tag">{t(`store.kind.${item.kind}`)}</span>
      </div>
      {item.description && <p>{item.description}</p>}
      {item.kind === "voucher" && (
        <p class="muted">{t("store.voucherLine", { value: yuan(item.voucher_value_fen), n: item.voucher_valid_days })}</p>
      )}
      <p>
        <strong>{price(item)}</strong>
        {" · "}
        <span data-stock={item.stock}>{item.stock > 0 ? t("store.left", { n: num(item.stock) }) : t("store.soldOut")}</span>
      </p>
      <p class="muted">{t("store.mine", { n: item.redeemed_by_me, limit: item.per_player_limit })}</p>
      {why && item.stock > 0 && <p class="muted">{why}</p>}
      <button type="button" class="primary" disabled={Boolean(why)} onClick={onRedeem}>
        {t("store.redeem", { name: item.name })}
      </button>
    </li>
  );
}

function Redeem({ item, balances, onClose, onDone }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState(null);
  const [done, setDone] = useState(null);
  const key = useConfirmationKey(item);

  function close() {
    key.closed();
    setFailure(null);
    setDone(null);
    onClose();
  }

  async function confirm() {
    setBusy(true);
    setFailure(null);
    try {
      const answer = await api(`/store/items/${item.id}/redeem`, { method: "POST", idempotencyKey: key.value });
      setDone(answer);
      toast(t("store.redeemed", { name: item.name }));
      onDone();
    } catch (err) {
      key.refused(err);
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={done ? t("store.doneTitle") : t("store.confirmTitle")} open={Boolean(item)} onClose={close}>
      {item && !done && (
        <>
          <p>{t("store.confirm", { name: item.name, price: price(item) })}</p>
          {balances && (
            <p class="muted">
              {item.currency === "energy"
                ? t("store.afterEnergy", { grams: grams(balances.energy - item.price) })
                : t("store.afterCredit", { yuan: yuan(balances.credit - item.price) })}
            </p>
          )}
          <ErrorNote error={failure} />
          <div class="actions-row">
            <button type="button" class="primary" disabled={busy} onClick={confirm}>
              {t("store.confirmButton", { price: price(item) })}
            </button>
            <button type="button" onClick={close}>{t("action.cancel")}</button>
          </div>
        </>
      )}
      {item && done && (
        <>
          <p>{t("store.paid", { name: item.name, price: price(item) })}</p>
          {done.voucher ? (
            <div class="voucher" aria-label={t("store.yourVoucher")} role="group">
              <p class="muted">{t("store.yourVoucher")}</p>
              <p class="voucher-code"><code>{done.voucher.code}</code></p>
              <p>{t("store.voucherValue", { value: yuan(done.voucher.face_value_fen), time: day(done.voucher.expires_at) })}</p>
            </div>
          ) : (
            <p class="muted">{t(`store.after.${item.kind}`)}</p>
          )}
          <div class="actions-row">
            <button type="button" class="primary" onClick={close}>{t("action.done")}</button>
          </div>
        </>
      )}
    </Dialog>
  );
}

function Vouchers({ state }) {
  const { data, error, setData } = state;
  async function more() {
    const page = await api(`/me/vouchers?limit=10&cursor=${data.next_cursor}`);
    setData((d) => ({ items: [...d.items, ...page.items], next_cursor: page.next_cursor }));
  }
  return (
    <section class="card" aria-labelledby="vouchers-heading">
      <h2 id="vouchers-heading">{t("store.vouchers")}</h2>
      <ErrorNote error={error} />
      {!data && !error && <Loading />}
      {data && data.items.length === 0 && <p class="muted">{t("store.noVouchers")}</p>}
      {data && (
        <ul class="plain">
          {data.items.map((v) => (
            <li key={v.code} class="row">
              <span>
                <code>{v.code}</code> <span class={`tag voucher-${v.state}`}>{t(`play.rewards.state.${v.state}`)}</span>
                <br />
                <small class="muted">
                  {t(v.from_store ? "store.voucherBought" : "store.voucherGranted", {
                    value: yuan(v.face_value_fen), time: day(v.expires_at) })}
                </small>
              </span>
            </li>
          ))}
        </ul>
      )}
      {data && <More cursor={data.next_cursor} onMore={more} />}
    </section>
  );
}

function Credit({ state }) {
  const { data, error, setData } = state;
  async function more() {
    const page = await api(`/me/store-credit?limit=10&cursor=${data.next_cursor}`);
    setData((d) => ({ ...d, entries: [...d.entries, ...page.entries], next_cursor: page.next_cursor }));
  }
  return (
    <section class="card" aria-labelledby="credit-heading">
      <h2 id="credit-heading">{t("store.creditHistory")}</h2>
      <ErrorNote error={error} />
      {!data && !error && <Loading />}
      {data && data.entries.length === 0 && <p class="muted">{t("store.noCredit")}</p>}
      {data && (
        <ul class="plain">
          {data.entries.map((e) => (
            <li key={e.id} class="row">
              <span>
                {e.reason || e.kind}
                <br />
                <small class="muted">{when(e.created_at)}</small>
              </span>
              <span class="num">
                <strong>{e.delta_fen > 0 ? t("store.plus", { yuan: yuan(e.delta_fen) }) : t("store.minus", { yuan: yuan(-e.delta_fen) })}</strong>
                <br />
                <small class="muted">{t("store.balanceAfter", { yuan: yuan(e.balance_after_fen) })}</small>
              </span>
            </li>
          ))}
        </ul>
      )}
      {data && <More cursor={data.next_cursor} onMore={more} />}
    </section>
  );
}
