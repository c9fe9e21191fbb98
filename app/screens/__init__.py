"""The screens: the player client at /app and the staff console at /console.

Both are single pages built from `app/screens/web` (Preact, bundled by esbuild) into
`app/screens/web/dist` by `sh scripts/dev.sh sync`; this package only serves what was built.
See docs/screens.md.
"""

from app.screens.routes import screens_router

__all__ = ["screens_router"]
