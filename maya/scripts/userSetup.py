"""Renderbus for Maya: add the Renderbus shelf and menu once Maya's UI is up (never in batch mode).

Kept to Python 2 syntax: a Maya 2022 started with ``-pythonver 2`` runs it too, and gets one line
saying why Renderbus stays out instead of a SyntaxError at every start.
"""

import sys

import maya.cmds
import maya.utils

if sys.version_info[0] < 3:
    if not maya.cmds.about(batch=True):
        maya.cmds.warning("Renderbus needs Maya's Python 3: start Maya without -pythonver 2 to use it.")
elif not maya.cmds.about(batch=True):  # mayapy, render nodes: nothing at all
    maya.utils.executeDeferred("import renderbus_maya.startup; renderbus_maya.startup.run()")
