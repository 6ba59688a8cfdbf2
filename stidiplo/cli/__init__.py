"""The command line. `main` is the `stidiplo` program; `app` is its Typer application.

The cyclic garbage collector is paused while the command line's modules load: Typer and Click
build thousands of objects, none of them garbage, which it otherwise scanned some thirty times
(a tenth of the import). Once they are loaded they are moved out of its sight (`gc.freeze`:
they live as long as the process anyway), and it is resumed as it was, so that resuming does not
scan them all at once. `main` then keeps it off for the whole command (see cli.app.main).
"""

import gc

_collecting = gc.isenabled()
gc.disable()
try:
    from stidiplo.cli.app import app, main
finally:
    gc.freeze()
    if _collecting:
        gc.enable()

__all__ = ["app", "main"]
