// The signed-in session: tokens kept in localStorage so a reload stays signed in, refreshed
// before they expire. Refresh tokens are single-use and reusing one revokes the session, so
// tabs take turns (Web Locks) and re-read what another tab may have stored meanwhile.
const KEY = "greenspark.session";
const listeners = new Set();

function read() {
  try {
    return JSON.parse(localStorage.getItem(KEY) || "null");
  } catch {
    return null;
  }
}

function write(value) {
  if (value) localStorage.setItem(KEY, JSON.stringify(value));
  else localStorage.removeItem(KEY);
  for (const listener of listeners) listener(value);
}

window.addEventListener("storage", (e) => {
  if (e.key === KEY) for (const listener of listeners) listener(read());
});

/** Call `fn(session)` whenever the session changes (here or in another tab). */
export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The current session, or null. */
export function currentSession() {
  return read();
}

/** Keep the tokens of a login or refresh answer. */
export function storeTokens(tokens) {
  write({
    access: tokens.access_token,
    accessExpires: Date.parse(tokens.access_expires_at),
    refresh: tokens.refresh_token,
  });
}

/** Forget the session (after logout or when it cannot be refreshed). */
export function forget() {
  write(null);
}

async function withLock(fn) {
  if (navigator.locks) return navigator.locks.request(KEY, fn);
  return fn();
}

/** Exchange the refresh token for new tokens; returns the new access token or null. */
export async function refreshTokens() {
  const before = read();
  if (!before) return null;
  return withLock(async () => {
    const now = read();
    if (!now) return null;
    if (now.refresh !== before.refresh) return now.access; // another tab refreshed first
    const response = await fetch("/api/v1/auth/refresh", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refresh_token: now.refresh }),
    });
    if (!response.ok) {
      if (response.status === 401) forget();
      return null;
    }
    storeTokens(await response.json());
    return read().access;
  });
}

/** An access token good for at least the next half minute, or null when signed out. */
export async function accessToken() {
  const session = read();
  if (!session) return null;
  if (session.accessExpires - Date.now() > 30_000) return session.access;
  return refreshTokens();
}

/** Sign out at once; the server is told in the background (keepalive survives navigation). */
export function signOut() {
  const session = read();
  forget();
  if (session) {
    fetch("/api/v1/auth/logout", {
      method: "POST",
      headers: { authorization: `Bearer ${session.access}` },
      keepalive: true,
    }).catch(() => {});
  }
}
