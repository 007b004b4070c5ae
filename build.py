"""Entry point: python build.py [build|check|serve] [--content DIR] [--site-dir DIR]."""

import sys

from bulletin.cli import main

if __name__ == "__main__":
    sys.exit(main())
