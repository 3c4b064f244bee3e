"""A fake ``maya.app.renderSetup``: the Render Setup Python API (see model/renderSetup.py)."""
