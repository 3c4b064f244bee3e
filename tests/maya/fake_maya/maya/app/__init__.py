"""A fake ``maya.app`` (only ``renderSetup``)."""
