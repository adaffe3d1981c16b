"""`python -m auditor …` is `tthc-audit …`."""
import sys

from .cli import main

sys.exit(main())
