"""``python -m sandbox`` is the sandbox's command (``rembug-sandbox`` when installed)."""

import sys

from sandbox.cli import main

sys.exit(main())
