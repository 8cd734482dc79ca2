"""The bundled program's entry point: the same `tumorboard` command an install provides."""

import sys

from tumorboard.cli import main

if __name__ == "__main__":
    sys.exit(main())
