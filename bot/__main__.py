"""``python -m bot`` is the ``rembug`` command."""

import sys

from bot.cli import main

sys.exit(main())
