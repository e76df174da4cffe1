"""Run the command line: ``python -m ess_geo``."""

from ess_geo.cli import cli

if __name__ == "__main__":
    cli()
