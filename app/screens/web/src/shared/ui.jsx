// Small building blocks shared by both screens: data loading, fields with labels, toggle
// groups, dialogs, toasts and error notes. Each one carries its own accessibility wiring.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { problemText, t } from "./i18n.js";

/** Run `load()` when `deps` change; gives {data, error, loading, reload, setData}. */
export function useLoad(load, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const serial = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++serial.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await load();
      if (mine === serial.current) setState({ data, error: null, loading: false });
    } catch (error) {
      if (mine === serial.current) setState((s) => ({ ...s, error, loading: false }));
    }
  }, deps);
  useEffect(() => {
    reload();
  }, [reload]);
  const setData = (update) =>
    setState((s) => ({ ...s, data: typeof update === "function" ? update(s.data) : update }));
  return { ...state, reload, setData };
}

/** Tick every `ms` while mounted; returns Date.now() of the last tick. */
export function useNow(ms = 1000) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

let fieldIds = 0;

/** A labelled input (or select/textarea via `as`), with an optional hint. */
export function Field({ label, hint, as: Tag = "input", children, ...props }) {
  const id = useRef(props.id || `field-${++fieldIds}`).current;
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <Tag id={id} aria-describedby={hintId} {...props}>
        {children}
      </Tag>
      {hint && (
        <small id={hintId} class="hint">
          {hint}
        </small>
      )}
    </div>
  );
}

/** A group of mutually exclusive buttons (period, scope...); `aria-pressed` marks the choice. */
export function Choice({ label, options, value, onChange }) {
  return (
    <div class="choice" role="group" aria-label={label}>
      {options.map(([key, text]) => (
        <button
          type="button"
          key={key}
          aria-pressed={String(key === value)}
          onClick={() => onChange(key)}
        >
          {text}
        </button>
      ))}
    </div>
  );
}

/** An error from the API (or anything thrown), announced to screen readers. */
export function ErrorNote({ error }) {
  if (!error) return null;
  const text = error.type ? problemText(error) : String(error.message || error);
  return (
    <p class="error" role="alert">
      {text}
    </p>
  );
}

/** A modal dialog on the native <dialog>: focus stays inside, Escape closes it. */
export function Dialog({ title, open, onClose, children }) {
  const ref = useRef(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} class="dialog" aria-label={title} onClose={onClose}>
      <header>
        <h2>{title}</h2>
        <button type="button" class="ghost" onClick={onClose} aria-label={t("action.close")}>
          ×
        </button>
      </header>
      {open && children}
    </dialog>
  );
}

const toastListeners = new Set();
let toastSerial = 0;

/** Show a short message for a few seconds (read out by screen readers). */
export function toast(text, kind = "info") {
  const item = { id: ++toastSerial, text, kind };
  for (const listener of toastListeners) listener(item);
}

/** Where toasts appear; mount once per screen. */
export function Toasts() {
  const [items, setItems] = useState([]);
  useEffect(() => {
    const add = (item) => {
      setItems((list) => [...list.slice(-3), item]);
      setTimeout(() => setItems((list) => list.filter((i) => i.id !== item.id)), 5000);
    };
    toastListeners.add(add);
    return () => toastListeners.delete(add);
  }, []);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {items.map((item) => (
        <p key={item.id} class={`toast ${item.kind}`}>
          {item.text}
        </p>
      ))}
    </div>
  );
}

/** A "Load more" button for cursor pages. */
export function More({ cursor, onMore, busy }) {
  if (!cursor) return null;
  return (
    <button type="button" class="more" onClick={onMore} disabled={busy}>
      {t("action.more")}
    </button>
  );
}

/** A round badge with a player's initial. */
export function Avatar({ name }) {
  const letter = (name || "?").trim().charAt(0).toUpperCase();
  return (
    <span class="avatar" aria-hidden="true">
      {letter}
    </span>
  );
}

/** Busy text while something loads. */
export function Loading() {
  return (
    <p class="loading" aria-busy="true">
      {t("state.loading")}
    </p>
  );
}
