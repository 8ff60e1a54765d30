"""Handlers of ``peerskole`` subcommands; ``peerskole.cli`` parses and imports these lazily."""
