"""``python -m softmaxlab`` runs the command line."""

import sys

from softmaxlab.cli import main

sys.exit(main())
