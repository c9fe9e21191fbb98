// Live events fanned out to whichever pages are showing; pages subscribe with useLive().
import { useEffect, useRef } from "preact/hooks";

const handlers = new Set();

/** Hand one event from the websocket to every subscriber. */
export function emitLive(event) {
  for (const handler of handlers) handler(event);
}

/** Call `fn(event)` for live events while the component is mounted (always the latest fn). */
export function useLive(fn) {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    const handler = (event) => latest.current(event);
    handlers.add(handler);
    return () => handlers.delete(handler);
  }, []);
}

const names = new Map();

/** Remember players' display names so events that carry only an id can name them. */
export function rememberPlayers(players) {
  for (const p of players || []) if (p) names.set(p.id, p.display_name || p.username);
}

/** A player's name if known, else `fallback`. */
export function nameOf(id, fallback) {
  return names.get(id) || fallback;
}
