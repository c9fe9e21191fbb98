// Builds the two single-page screens into dist/: hashed, minified bundles under dist/assets/
// and one HTML shell per screen that names them. The same lock file and sources give the same
// bytes, so the build can run on every set-up without churn.
import { build } from "esbuild";
import { rmSync, mkdirSync, writeFileSync, copyFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const assets = join(dist, "assets");
const PUBLIC = "/screens/assets/";

// The screens: the name of the shell, its entry module and its page title.
const SCREENS = [
  { name: "app", entry: "src/app/main.jsx", title: "Green Spark" },
  { name: "console", entry: "src/console/main.jsx", title: "Green Spark console" },
];

rmSync(dist, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const result = await build({
  absWorkingDir: here,
  entryPoints: Object.fromEntries(SCREENS.map((s) => [s.name, s.entry])),
  outdir: assets,
  bundle: true,
  splitting: true,
  format: "esm",
  minify: true,
  sourcemap: false,
  target: ["chrome100", "firefox100", "safari15"],
  jsx: "automatic",
  jsxImportSource: "preact",
  entryNames: "[name]-[hash]",
  chunkNames: "shared-[hash]",
  assetNames: "[name]-[hash]",
  loader: { ".svg": "file", ".png": "file" },
  metafile: true,
  legalComments: "none",
  logLevel: "warning",
});

copyFileSync(join(here, "src/icon.svg"), join(assets, "icon.svg"));

function outputsFor(name) {
  const outputs = Object.entries(result.metafile.outputs);
  const [js, meta] = outputs.find(([, m]) => m.entryPoint && m.entryPoint.endsWith(`${name}/main.jsx`));
  const css = meta.cssBundle;
  const chunks = meta.imports.filter((i) => i.kind === "import-statement").map((i) => i.path);
  const url = (p) => PUBLIC + relative(assets, join(here, p));
  return { js: url(js), css: css ? url(css) : null, chunks: chunks.map(url) };
}

for (const screen of SCREENS) {
  const out = outputsFor(screen.name);
  const preload = out.chunks.map((c) => `<link rel="modulepreload" href="${c}">`).join("\n");
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="theme-color" content="#1f6f43">
<title>${screen.title}</title>
<link rel="icon" href="${PUBLIC}icon.svg" type="image/svg+xml">
${out.css ? `<link rel="stylesheet" href="${out.css}">` : ""}
${preload}
<script type="module" src="${out.js}"></script>
</head>
<body>
<div id="root"><p class="boot">Loading…</p></div>
<noscript><p class="boot">Green Spark needs JavaScript turned on.</p></noscript>
</body>
</html>
`;
  writeFileSync(join(dist, `${screen.name}.html`), html);
}
console.log(`screens built into ${relative(process.cwd(), dist) || "."}`);
