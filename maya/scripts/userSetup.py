"""Renderbus for Maya: add the Renderbus shelf and menu once Maya's UI is up (never in batch mode)."""

import maya.cmds
import maya.utils

if not maya.cmds.about(batch=True):  # mayapy, render nodes: nothing at all
    maya.utils.executeDeferred("import renderbus_maya.startup; renderbus_maya.startup.run()")
