// The live events websocket, and the only module that knows its handshake: a browser cannot
// set headers on a websocket, so handshakeUrl() asks for a short-lived single-use ticket
// (POST /api/v1/ws/tickets) and puts that in the URL; the access token never goes there.
//
// The client pings well inside the server's idle limit, reconnects with exponential backoff
// plus jitter, and resumes with `last_event_id` so events sent while it was away are replayed.
import { accessToken } from "./session.js";

const PING_MS = 25_000;
const MAX_BACKOFF_MS = 30_000;
// No ticket this time (the server answered 503, say): try again with the usual backoff.
const RETRY = "retry";

async function handshakeUrl(lastEventId) {
  const token = await accessToken();
  if (!token) return null;
  let ticket;
  try {
    const issued = await fetch("/api/v1/ws/tickets", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!issued.ok) return RETRY;
    ({ ticket } = await issued.json());
  } catch {
    return RETRY;
  }
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const query = new URLSearchParams({ ticket });
  if (lastEventId) query.set("last_event_id", lastEventId);
  return `${scheme}//${location.host}/api/v1/ws?${query}`;
}

/**
 * Keep a live connection: `onEvent(event)` for each event `{id, type, at, data}`, and
 * `onStatus("connecting" | "open" | "closed")`. Returns a function that ends it.
 */
export function connectLive({ onEvent, onStatus = () => {} }) {
  let socket = null;
  let lastEventId = null;
  let attempt = 0;
  let timer = null;
  let pinger = null;
  let stopped = false;

  function schedule() {
    if (stopped) return;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2);
    attempt += 1;
    timer = setTimeout(open, delay);
  }

  async function open() {
    clearTimeout(timer);
    if (stopped) return;
    onStatus("connecting");
    const url = await handshakeUrl(lastEventId);
    if (!url) return onStatus("closed");
    if (url === RETRY) {
      onStatus("closed");
      return schedule();
    }
    socket = new WebSocket(url);
    socket.onopen = () => {
      attempt = 0;
      onStatus("open");
      pinger = setInterval(() => socket.send('{"type":"ping"}'), PING_MS);
    };
    socket.onmessage = (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      if (!event.id) return; // heartbeat and pong
      lastEventId = event.id;
      onEvent(event);
    };
    socket.onclose = () => {
      clearInterval(pinger);
      socket = null;
      onStatus("closed");
      schedule();
    };
  }

  function now() {
    if (!socket && !stopped) {
      attempt = 0;
      open();
    }
  }
  window.addEventListener("online", now);
  open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    clearInterval(pinger);
    window.removeEventListener("online", now);
    if (socket) socket.close(1000);
  };
}
