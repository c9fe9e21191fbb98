// Menu icons drawn inline (no icon font, no emoji font needed on the device).
const PATHS = {
  forest: "M12 2 5 12h4l-4 6h6v4h2v-4h6l-4-6h4z",
  friends: "M8 11a4 4 0 1 1 0-8 4 4 0 0 1 0 8zm8 0a3 3 0 1 1 0-6 3 3 0 0 1 0 6zM1 20c0-4 3-7 7-7s7 3 7 7zm15 0c0-2-.6-4-1.8-5.4A6 6 0 0 1 23 20z",
  feed: "M4 4h16v16H4zm2 2v8l4-4 3 3 2-2 3 3V6zm9 1.5a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3z",
  boards: "M3 21V11h5v10zm6.5 0V3h5v18zM16 21v-7h5v7z",
  trees: "M12 22v-7m0 0c-4 0-7-3-7-7 4 0 7 3 7 7zm0 0c0-5 3-9 8-9 0 5-3 9-8 9z",
  campaigns: "M5 22V3h2v1h12l-2.5 4.5L19 13H7v9zm2-11h8.6l-1.4-2.5L15.6 6H7z",
  bell: "M12 22a2.5 2.5 0 0 0 2.5-2.5h-5A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.8V3a1.5 1.5 0 0 0-3 0v1.2A7 7 0 0 0 5 11v5l-2 2v1h18v-1z",
  me: "M12 12a5 5 0 1 1 0-10 5 5 0 0 1 0 10zm-9 10c0-5 4-8 9-8s9 3 9 8z",
  store: "M7 7V6a5 5 0 0 1 10 0v1h3l-1 15H5L4 7zm2 0h6V6a3 3 0 0 0-6 0z",
};

/** A 24×24 icon by name, hidden from screen readers (its link has the text). */
export function Icon({ name }) {
  return (
    <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill={name === "trees" ? "none" : "currentColor"} stroke="currentColor"
        stroke-width={name === "trees" ? 2 : 0} stroke-linejoin="round" />
    </svg>
  );
}
