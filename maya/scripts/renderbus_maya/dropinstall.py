"""What ``install.mel`` runs when a user drops it on Maya's viewport.

It writes ``<user maya dir>/<version>/modules/renderbus.mod`` pointing at the module folder the
dropped file sits in (so the next start of Maya loads the module), then makes the module work
in the running session without a restart: the core and the scripts on ``sys.path``, the icons
on ``XBMLANGPATH``, the shelf and menu built.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from maya import cmds

__all__ = ["install"]


def _add_path(folder: Path) -> None:
    text = str(folder)
    if text not in sys.path:
        sys.path.insert(0, text)


def install(module_dir: str) -> str:
    """Install the module at ``module_dir`` for this Maya version; returns the .mod written."""
    module = Path(module_dir).resolve()
    core = module.parent  # a checkout or an unpacked release: renderbus_dcc sits beside maya/
    _add_path(module / "scripts")
    if (core / "renderbus_dcc").is_dir():
        _add_path(core)
    from renderbus_dcc.install.maya import MOD_FILE, core_dir, module_text

    version = str(cmds.about(majorVersion=True))
    modules = Path(cmds.internalVar(userAppDir=True)) / version / "modules"
    modules.mkdir(parents=True, exist_ok=True)
    mod_file = modules / MOD_FILE
    mod_file.write_text(module_text(module, core_dir(), [version]), encoding="utf-8")

    icons = str(module / "icons")
    paths = os.environ.get("XBMLANGPATH", "")
    if icons not in paths.split(os.pathsep):
        os.environ["XBMLANGPATH"] = os.pathsep.join(p for p in (paths, icons) if p)

    from renderbus_maya import startup

    startup.run()
    cmds.confirmDialog(
        title="Renderbus",
        message="Renderbus is installed: see the Renderbus shelf and menu.\nModule file: %s" % mod_file,
        button=["OK"],
    )
    return str(mod_file)
