// The inbox's unread count, shared by the badge in the top bar and the inbox page: read once
// from the API, then kept current by `notification.new` events and by marking read.
import { useEffect, useState } from "preact/hooks";
import { api } from "./api.js";

let count = null;
const listeners = new Set();

/** Set the unread count (from an event or an answer that carries it). */
export function setUnread(n) {
  count = n;
  for (const listener of listeners) listener(n);
}

/** Ask the server for the count (at start, and after the socket comes back). */
export function refreshUnread() {
  return api("/me/notifications/unread-count").then((answer) => setUnread(answer.unread), () => {});
}

/** The unread count, re-rendering when it changes; null until known. */
export function useUnread() {
  const [n, setN] = useState(count);
  useEffect(() => {
    listeners.add(setN);
    return () => listeners.delete(setN);
  }, []);
  return n;
}
