// Partner platforms and their keys (admins). The partner platforms API (register, list,
// rotate a secret) is not in this server yet, so this page says so instead of showing
// anything made up; its screens go here when the API lands.
import { t } from "../../shared/i18n.js";

/** The partner platforms page, waiting for its API. */
export function Platforms() {
  return (
    <div>
      <h1>{t("platforms.title")}</h1>
      <p class="notice" role="note">{t("platforms.pending")}</p>
    </div>
  );
}
