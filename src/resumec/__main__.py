"""``python -m resumec`` and the ``resumec`` console script."""

from __future__ import annotations


def main() -> None:
    """Run the command line."""
    from resumec.cli import app

    app()


if __name__ == "__main__":
    main()
