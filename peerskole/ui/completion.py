"""What the trainee is told when a module becomes complete (the rule is in the core)."""

from __future__ import annotations

from peerskole.notices import completion_notice as completion_notice
