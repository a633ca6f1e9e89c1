"""``python -m newslens``: see ``newslens.cli``."""

import sys

from .cli import main

sys.exit(main())
