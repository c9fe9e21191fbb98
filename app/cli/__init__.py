"""The `greenspark` command line; each module registers its commands on the one group."""

from app.cli import partners, serving, support, upkeep
from app.cli.base import main

# Importing a module registers its commands; naming them here keeps the imports.
COMMAND_MODULES = (serving, support, upkeep, partners)

__all__ = ["main"]
