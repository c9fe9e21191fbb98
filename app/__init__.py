"""The HTTP/websocket shell: settings, lifecycles, auth, errors, CLI. It holds no game rules."""
