"""The `achtervang` command line, one module per command group; `main` wires them together."""
