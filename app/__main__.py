"""`python -m app …` is the same as `greenspark …`."""

from app.cli import main

main()
