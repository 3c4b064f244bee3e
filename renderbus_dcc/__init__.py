"""renderbus_dcc: send Maya, 3ds Max and Blender scenes to the Renderbus render farm.

Importing this package is cheap on purpose (it runs at the start of Maya, 3ds Max and
Blender): no network library and no Qt is imported until a client or a window is made.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
