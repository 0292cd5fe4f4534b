"""`python -m mastery.ratings_cli`: the same as `mastery ratings`."""

import sys

from mastery.ratings_cli import main

sys.exit(main(sys.argv[1:]))
