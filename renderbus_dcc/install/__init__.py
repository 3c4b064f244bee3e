"""Installers of the integration into Maya, 3ds Max and Blender (`renderbus install ...`).

Each host has a module here exposing ``add_arguments(parser)`` and ``run(args) -> int``.
"""

#: host name on the command line -> module of this package
HOSTS = {"maya": "maya", "max": "max", "blender": "blender"}
