"""`stegvis demo-data`: the same command as `demo_data`, spelt as the documentation spells it."""

from stegvis.core.management.commands.demo_data import Command

__all__ = ["Command"]
