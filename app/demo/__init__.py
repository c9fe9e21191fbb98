"""Demo data for `greenspark seed-demo` and `serve --demo`, made through the real rules."""
