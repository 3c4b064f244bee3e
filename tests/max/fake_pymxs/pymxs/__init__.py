"""Fake ``pymxs`` for the tests of the 3ds Max layer (see ../fakemax.py for what it follows).

``runtime`` is the MAXScript runtime of the fake 3ds Max the test made current; ``byref``
marks a by-reference argument ("pymxs.byref()", 3ds Max 2021+); ``MAXScriptException`` is
what a MAXScript error raises.
"""

from fakemax import MAXScriptException, Runtime, byref

runtime = Runtime()

__all__ = ["runtime", "byref", "MAXScriptException"]
