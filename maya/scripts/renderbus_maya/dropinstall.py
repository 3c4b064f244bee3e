"""What ``install.mel`` runs when a user drops it on Maya's viewport.

It does what ``renderbus install maya --version <this Maya>`` does, from inside Maya: the module
file and the module folder (with this Python's requests, urllib3, ... and Qt.py, unpacked from
the wheels shipped in ``renderbus_dcc/install/wheels``) in
``<user maya dir>/<version>/modules``, so the next start of Maya loads the module. Then it loads
the installed module into the running session, in place of the dropped folder's files: the
module's ``site-packages`` and ``scripts`` on ``sys.path``, the shelf and the menu built (the
shelf names its icon by its full path: ``XBMLANGPATH`` is read at start-up only).
"""

import sys
from pathlib import Path
from typing import List

from maya import cmds

__all__ = ["install", "activate"]

#: Modules of the dropped folder to forget once the installed module takes over.
_OURS = ("renderbus_dcc", "renderbus_maya")


def _forget_modules() -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in _OURS and name != __name__:
            del sys.modules[name]


def activate(module: Path, dropped: List[str]) -> None:
    """Use the installed ``module`` in this session instead of the ``dropped`` folders."""
    for entry in dropped:
        while entry in sys.path:
            sys.path.remove(entry)
    _forget_modules()
    for entry in (str(module / "scripts"), str(module / "site-packages")):
        while entry in sys.path:
            sys.path.remove(entry)
        sys.path.insert(0, entry)
    from renderbus_maya import startup

    startup.run()


def install(module_dir: str) -> str:
    """Install Renderbus for this Maya from the dropped folder ``module_dir``; returns the .mod written."""
    folder = Path(module_dir).resolve()  # maya/ of a checkout or an unpacked release
    core = folder.parent  # renderbus_dcc sits beside maya/
    dropped = [str(folder / "scripts")]
    if (core / "renderbus_dcc").is_dir():
        while str(core) in sys.path:
            sys.path.remove(str(core))
        sys.path.insert(0, str(core))  # the dropped release, before any installed one
        dropped.append(str(core))
    _forget_modules()
    from renderbus_dcc.i18n import _
    from renderbus_dcc.install import maya as installer

    version = str(cmds.about(majorVersion=True))
    python = "%d.%d" % sys.version_info[:2]  # the Python of this Maya, whatever the table says
    maya_dir = Path(cmds.internalVar(userAppDir=True))
    (mod_file,) = installer.install([version], maya_dir, python=python)
    activate(mod_file.parent / installer.MODULE_DIR, dropped)
    cmds.confirmDialog(
        title="Renderbus",
        message=_("Renderbus is installed: see the Renderbus shelf and menu.\nModule file: %s") % mod_file,
        button=["OK"],
    )
    return str(mod_file)
