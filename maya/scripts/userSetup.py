"""Renderbus for Maya: add the Renderbus shelf and menu once Maya's UI is up (never in batch mode)."""

import maya.utils

maya.utils.executeDeferred("import renderbus_maya.startup; renderbus_maya.startup.run()")
