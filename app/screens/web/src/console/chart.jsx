// A small line chart drawn as SVG (no chart library, nothing from a CDN). It is an image with a
// title and a summary for screen readers; the figures themselves are in a table next to it.
import { num } from "../shared/i18n.js";

const W = 520;
const H = 220;
const PAD = { left: 44, right: 16, top: 16, bottom: 32 };

function ticks(max) {
  if (max <= 0) return [0, 1];
  const step = 10 ** Math.floor(Math.log10(max));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => max / s <= 5) || step * 10;
  const out = [];
  for (let v = 0; v <= max + nice / 2; v += nice) out.push(v);
  return out;
}

/** A line over time: `values` (one per label) against `labels`, with a y axis from 0. */
export function LineChart({ title, summary, labels, values, colour = "#1f6f43" }) {
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const n = Math.max(labels.length, 1);
  const x = (i) => PAD.left + (n === 1 ? innerW / 2 : (i * innerW) / (n - 1));
  const axis = ticks(Math.max(0, ...values));
  const top = axis[axis.length - 1] || 1;
  const y = (v) => PAD.top + innerH - (v / top) * innerH;
  const every = Math.max(1, Math.ceil(n / 6));
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}. ${summary}`}>
        {axis.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="#d5d9d3" />
            <text x={PAD.left - 6} y={y(v) + 4} text-anchor="end" font-size="14" fill="#4b5751">
              {num(v)}
            </text>
          </g>
        ))}
        {labels.map((label, i) =>
          i % every === 0 || i === n - 1 ? (
            <text key={i} x={x(i)} y={H - 10} font-size="14" fill="#4b5751"
              text-anchor={n > 1 && i === 0 ? "start" : n > 1 && i === n - 1 ? "end" : "middle"}>
              {label}
            </text>
          ) : null,
        )}
        {values.length > 1 && (
          <polyline points={points} fill="none" stroke={colour} stroke-width="2.5"
            stroke-linejoin="round" />
        )}
        {values.map((v, i) => (
          <circle key={i} cx={x(i)} cy={y(v)} r={values.length > 40 ? 0 : 3.5} fill={colour} />
        ))}
      </svg>
    </figure>
  );
}
