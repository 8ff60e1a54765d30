"""peerskole: peer-support training at the terminal."""

__version__ = "0.1.0"
