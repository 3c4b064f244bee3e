"""The local farm: a Renderbus-compatible server that runs on the user's machine.

``LocalFarm(...).start()`` (or ``with LocalFarm() as farm:``) answers every operation of the
protocol in both route profiles, checks signatures, keeps its state in SQLite under its data
folder, and plays each submitted task's life (analysis, waiting, rendering frame by frame)
in farm time, which runs ``speed`` times the wall clock. ``renderbus farm serve`` runs it
from the command line.
"""

from renderbus_dcc.farm.server import LocalFarm

__all__ = ["LocalFarm"]
