"""`python -m bot` does what the `kfor-bot` console script does."""

import sys

from bot.cli import main

sys.exit(main())
