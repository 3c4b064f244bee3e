"""Renderbus for Maya: the thin layer between Maya and renderbus_dcc.

- :mod:`renderbus_maya.startup`: the shelf and the menu (run by userSetup.py at start-up);
- :mod:`renderbus_maya.commands`: what the shelf buttons and menu items call;
- :mod:`renderbus_maya.analysis`: the open scene as a renderbus_dcc SceneDescription;
- :mod:`renderbus_maya.hooks`: :class:`MayaHost`, what the Qt windows ask of Maya;
- :mod:`renderbus_maya.dropinstall`: what ``install.mel`` runs when dropped on the viewport.

Importing the package imports nothing else (Maya's start-up pays for nothing it does not use).
"""
