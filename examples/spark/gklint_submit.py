"""gklint's command line for spark-submit, which runs a Python file, not a module (docs/scale.md):

    spark-submit --master yarn gklint_submit.py check LOGS -r RULES --engine spark ...

gklint runs on the driver with spark-submit's session and master."""
from gklint.console import entry

entry()
