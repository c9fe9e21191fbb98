// The forest scene shared by my forest and a friend's: the tree in the middle and the bubbles
// floating around it. Each bubble is a button, so a keyboard or a screen reader can take it.
import { countdown, grams, t } from "../shared/i18n.js";

// Where bubbles float, as percentages of the scene: an arc above and beside the tree.
const SLOTS = [
  [16, 34], [34, 20], [55, 16], [75, 24], [86, 44],
  [12, 60], [88, 66], [30, 44], [70, 48], [50, 34],
];

/** A bubble's state now, from the server's state and the local clock (corrected by `skew`). */
export function stateAt(bubble, now, skew) {
  const at = now + skew;
  if (bubble.remaining <= 0) return "empty";
  if (at >= Date.parse(bubble.expires_at)) return "expired";
  if (bubble.state === "growing" && at < Date.parse(bubble.ripens_at)) return "growing";
  return bubble.state === "growing" ? "ripe" : bubble.state;
}

function size(amount) {
  return Math.round(54 + Math.min(34, Math.log10(Math.max(1, amount)) * 10));
}

/**
 * The scene: `bubbles` are [{bubble, label, disabled, onTake, leaving}], `tree` the art.
 * `leaving` is "collect" or "steal" while the bubble flies away.
 */
export function Scene({ bubbles, tree, now, skew, caption }) {
  return (
    <section class="scene" aria-label={caption}>
      {tree && (
        <figure class="tree">
          <img src={tree.image} alt={t("tree.alt", { name: tree.name, stage: tree.stage_name })}
            width="180" height="180" />
        </figure>
      )}
      <ul class="bubbles">
        {bubbles.slice(0, SLOTS.length).map((item, index) => {
          const b = item.bubble;
          const state = stateAt(b, now, skew);
          const [x, y] = SLOTS[index];
          const px = size(b.amount);
          const wait = (Date.parse(b.ripens_at) - now - skew) / 1000;
          return (
            <li key={b.id} style={{ left: `${x}%`, top: `${y}%`, "--size": `${px}px`,
              "--delay": `${(b.id % 7) * -0.6}s` }}>
              <button
                type="button"
                class={`bubble ${state} ${item.leaving || ""}`}
                aria-disabled={item.disabled || state !== "ripe" ? "true" : undefined}
                aria-label={item.label(state, wait)}
                onClick={() => !item.disabled && state === "ripe" && !item.leaving && item.onTake()}
              >
                <span class="amount">{grams(item.amount ?? b.remaining)}</span>
                {state === "growing" && <span class="timer">{countdown(wait)}</span>}
              </button>
            </li>
          );
        })}
      </ul>
      {bubbles.length === 0 && <p class="empty-scene">{t("forest.noBubbles")}</p>}
    </section>
  );
}
