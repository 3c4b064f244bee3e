"""A fake ``maya.app.renderSetup.model``."""
