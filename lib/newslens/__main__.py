"""``python -m newslens``: see ``newslens.cli``."""

import atexit
import gc
import os
import sys

_status = 1  # what the process exits with if ``main`` raises (after Python prints the error)


def _exit_now() -> None:
    """Leave without Python's teardown, which frees every loaded word list and gazetteer entry
    one by one (about 0.2 s after an analysis) when the process is ending anyway.

    Registered first, it runs after every other exit handler (they run last in, first out);
    by then the tables are written and closed and the worker processes have ended, and the
    output streams are flushed here.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_status)


atexit.register(_exit_now)

# Loading pandas, nltk and the library makes a few hundred thousand objects and hardly a
# reference cycle: the cycle collector, walking them again each time more have piled up, adds
# 10 to 40 ms to the start. It is off while the modules load (the analysis turns it off again
# for its own loading, ``pipeline.prepare``) and on before anything else runs.
gc.disable()
from .cli import main  # noqa: E402 - after the handler above, so that it runs last
from .pipeline import analyse_folder  # noqa: E402, F401 - the command's modules, loaded here

gc.enable()

try:
    _status = main()
except SystemExit as stop:  # argparse's --help and usage errors
    _status = 0 if stop.code is None else stop.code if isinstance(stop.code, int) else 1
    raise
sys.exit(_status)
