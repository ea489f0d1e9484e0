"""``python -m leder_core.cli`` runs the ``leder`` command."""

import sys

from leder_core.cli.entry import main

if __name__ == "__main__":
    sys.exit(main())
