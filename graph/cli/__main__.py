"""`python -m graph.cli`: the same as the `tkg` command."""

from graph.cli.main import main

main()
