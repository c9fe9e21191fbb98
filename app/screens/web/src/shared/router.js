// A small history router: pages are plain paths under the screen's base (/app, /console),
// so links can be opened in a new tab and the back button works.
import { useEffect, useState } from "preact/hooks";

const listeners = new Set();

/** Go to `path` (under the base) without a reload. */
export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  for (const listener of listeners) listener(location.pathname);
  window.scrollTo(0, 0);
}

window.addEventListener("popstate", () => {
  for (const listener of listeners) listener(location.pathname);
});

// Same-origin links inside the screen navigate in place; modified clicks keep their meaning.
document.addEventListener("click", (e) => {
  const link = e.target.closest?.("a[href]");
  if (!link || link.target || link.hasAttribute("download")) return;
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const url = new URL(link.href);
  const base = document.body.dataset.base;
  if (url.origin !== location.origin || !base || !url.pathname.startsWith(base)) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});

/** The current path, re-rendering on navigation. */
export function usePath() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    listeners.add(setPath);
    return () => listeners.delete(setPath);
  }, []);
  return path;
}

/** Match `path` against patterns like "/app/friends/:id"; returns params or null. */
export function match(pattern, path) {
  const want = pattern.split("/").filter(Boolean);
  const got = path.split("/").filter(Boolean);
  if (want.length !== got.length) return null;
  const params = {};
  for (let i = 0; i < want.length; i += 1) {
    if (want[i].startsWith(":")) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}
