"""Run peerskole with ``python -m peerskole``."""

import sys

from peerskole.cli import main

sys.exit(main())
