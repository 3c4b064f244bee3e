"""A fake ``maya.utils``: executeDeferred queues until ``processIdleEvents`` (as Maya's idle loop)."""

from typing import Any

from maya import _scene


def executeDeferred(fn, *args, **kwargs):  # type: (Any, Any, Any) -> None
    if not (callable(fn) or isinstance(fn, str)):
        raise TypeError("executeDeferred needs a callable or a string of Python")
    _scene.STATE.deferred.append((fn, args, kwargs))


def processIdleEvents() -> None:
    _scene.STATE.run_deferred()


def executeInMainThreadWithResult(fn, *args, **kwargs):  # type: (Any, Any, Any) -> Any
    if isinstance(fn, str):
        return eval(fn)
    return fn(*args, **kwargs)
