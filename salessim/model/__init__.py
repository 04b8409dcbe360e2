"""The SimPy model of a B2B sales organization: one module per mechanism."""
