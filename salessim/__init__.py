"""salessim: a discrete-event simulation of a B2B sales organization."""

__version__ = "0.1.0"
