"""The command line: one module per command group, all thin shells over services."""
