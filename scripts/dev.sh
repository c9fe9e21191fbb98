#!/usr/bin/env sh
# Set up the environment from the lock file (installing uv if needed), then run a task:
#   sh scripts/dev.sh demo   the server with demo data on the embedded defaults
#   sh scripts/dev.sh test   the test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)
set -eu
cd "$(dirname "$0")/.."
# Trust the machine's own certificate store (corporate and CI proxies add their CAs there).
export UV_SYSTEM_CERTS="${UV_SYSTEM_CERTS:-1}"
if command -v uv >/dev/null 2>&1; then
  UV=uv
else
  if [ ! -x .uv/bin/uv ]; then
    python3 -m venv .uv
    .uv/bin/python -m pip install --quiet uv
  fi
  UV=.uv/bin/uv
fi
"$UV" sync --frozen --quiet
# The screens (/app, /console): Node comes from the lock file too, see docs/screens.md.
sh app/screens/web/build.sh
task="${1:-}"
[ $# -gt 0 ] && shift
case "$task" in
  demo) exec .venv/bin/greenspark serve --demo "$@" ;;
  test) exec .venv/bin/pytest "$@" ;;
  sync) ;;
  *) echo "usage: sh scripts/dev.sh demo|test|sync [arguments]" >&2; exit 2 ;;
esac
