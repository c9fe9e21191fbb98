// One way to call the HTTP API: the bearer token, one refresh-and-retry on 401, JSON or
// multipart bodies, Idempotency-Key on value-moving calls, and RFC 9457 problems as errors.
import { useRef } from "preact/hooks";
import { accessToken, forget, refreshTokens } from "./session.js";

const BASE = "/api/v1";

/** An answer that was not 2xx; `type` is the problem type after `/problems/`. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.type = String(problem?.type || "").replace(/^\/problems\//, "") || `http-${status}`;
  }
}

/** A fresh Idempotency-Key, for a page that keeps one across its own retries. */
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/**
 * The Idempotency-Key of one confirmation of `subject` (a store item, a pick-up slot): the same
 * key across the dialog's own retries, so a retry after a lost answer replays the first outcome
 * instead of acting twice; a fresh key for a new subject, and after a refusal (a 4xx changed
 * nothing, so the next try is a new request).
 */
export function useConfirmationKey(subject) {
  const key = useRef(null);
  const shown = useRef(null);
  if (subject && shown.current !== subject) {
    shown.current = subject;
    key.current = newKey();
  }
  return {
    get value() {
      return key.current;
    },
    refused(err) {
      if (err instanceof ApiError && err.status < 500) key.current = newKey();
    },
    closed() {
      shown.current = null;
    },
  };
}

async function send(path, options, token) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let body;
  if (options.form) body = options.form;
  else if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
  return fetch(BASE + path, { method: options.method || "GET", headers, body });
}

async function parse(response) {
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  if (type.includes("json")) return response.json();
  return response.blob();
}

/**
 * Call the API. Options: method, body (JSON), form (FormData), idempotent (adds a fresh
 * Idempotency-Key, kept across the retry), idempotencyKey (this key instead), anonymous (no
 * token).
 */
export async function api(path, options = {}) {
  const opts = { ...options };
  if (opts.idempotent) opts.idempotencyKey = newKey();
  let token = opts.anonymous ? null : await accessToken();
  let response = await send(path, opts, token);
  if (response.status === 401 && token) {
    token = await refreshTokens();
    if (!token) {
      forget();
      throw new ApiError(401, { type: "/problems/unauthorized", title: "Signed out" });
    }
    response = await send(path, opts, token);
  }
  const data = await parse(response);
  if (!response.ok) throw new ApiError(response.status, data instanceof Blob ? null : data);
  return data;
}

/** Fetch a protected file (certificate) and save it under `filename`. */
export async function download(path, filename) {
  const blob = await api(path);
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Log in; stores nothing (the caller passes the answer to storeTokens). */
export function login(username, password) {
  return api("/auth/login", { method: "POST", body: { username, password }, anonymous: true });
}
