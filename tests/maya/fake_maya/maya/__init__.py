"""A fake ``maya`` package for tests: ``cmds``, ``mel``, ``utils`` and ``OpenMayaUI`` answering from
``maya._scene.STATE`` and refusing what real Maya would refuse (see tests/maya/conftest.py)."""

FAKE = True
