"""``python -m leder_core`` runs the ``leder`` command."""

import sys

from leder_core.cli import main

if __name__ == "__main__":
    sys.exit(main())
