// Every piece of text the screens show comes from strings/<locale>.json through t().
// To add a language: copy strings/en.json to strings/zh.json, translate the values, and
// add it to CATALOGS below; a missing key falls back to English.
import en from "../strings/en.json";

const CATALOGS = { en };

function pickLocale() {
  const wanted = [...(navigator.languages || []), navigator.language || "en"];
  for (const tag of wanted) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (CATALOGS[base]) return base;
  }
  return "en";
}

export const locale = pickLocale();
const strings = CATALOGS[locale];
const numbers = new Intl.NumberFormat(locale);
const plurals = new Intl.PluralRules(locale);

/**
 * The text for `key`, with `{name}` placeholders filled from `params`. With a number `n`,
 * a `key.one` (`key.two`, `key.few`…) entry is used where the language's rules pick it.
 */
export function t(key, params) {
  const form = typeof params?.n === "number" ? `${key}.${plurals.select(params.n)}` : null;
  const text = (form && (strings[form] ?? en[form])) ?? strings[key] ?? en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (_, name) => (params[name] ?? "").toString());
}

/** A count in this locale's digits. */
export function num(n) {
  return numbers.format(n);
}

/** Grams of energy, e.g. "1,234 g". */
export function grams(n) {
  return t("unit.grams", { n: num(n) });
}

/** A date and time in the viewer's zone. */
export function when(iso) {
  return new Date(iso).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

/** A calendar date. */
export function day(iso) {
  return new Date(iso).toLocaleDateString(locale, { dateStyle: "medium" });
}

/** A time of day in the viewer's zone, e.g. "9:00 PM". */
export function hour(iso) {
  return new Date(iso).toLocaleTimeString(locale, { timeStyle: "short" });
}

/** A calendar month sent as "2026-05", e.g. "May 2026". */
export function monthName(text) {
  const [year, month] = text.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, 1)).toLocaleDateString(locale, { month: "short", year: "numeric", timeZone: "UTC" });
}

/** An amount of money given in fen, in yuan with two decimals, e.g. "¥1.60". */
export function yuan(fen) {
  const value = (fen / 100).toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return t("unit.yuan", { n: value });
}

/** kWh sent by the server as a decimal string ("0.800"), in this locale's digits ("0.8"). */
export function kwh(text) {
  return t("unit.kwh", { n: num(Number(text)) });
}

/** A countdown such as "4:05" or "2:04:05" from whole seconds. */
export function countdown(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** A problem document's message: our own text for known types, else the server's title. */
export function problemText(error) {
  const key = `problem.${error.type}`;
  if (strings[key] || en[key]) return t(key, error.problem);
  return error.problem?.detail || error.problem?.title || t("problem.unknown");
}

document.documentElement.lang = locale;
