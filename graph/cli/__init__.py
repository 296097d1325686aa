"""The `tkg` command line: one module per command group, argument parsing and printing only."""
