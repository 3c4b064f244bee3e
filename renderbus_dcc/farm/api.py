"""The farm's operations: one handler per operation of the protocol, area by area.

:class:`FarmAPI` puts the areas together over :class:`~renderbus_dcc.farm.core.FarmCore` (the
state and the task life); each area's handlers live in a module of their own:
``ops_account`` (account, settings, labels, software), ``ops_envs`` (render environments),
``ops_tasks`` (create, submit, list, actions), ``ops_frames`` (frames, progress images) and
``outputs`` (the rendered frames).
"""

from renderbus_dcc.farm.core import BIDS, Call, FarmTime
from renderbus_dcc.farm.ops_account import AccountOps
from renderbus_dcc.farm.ops_envs import EnvOps
from renderbus_dcc.farm.ops_frames import FrameOps
from renderbus_dcc.farm.ops_tasks import TaskOps
from renderbus_dcc.farm.outputs import OutputOps

__all__ = ["FarmAPI", "FarmTime", "Call", "BIDS"]


class FarmAPI(AccountOps, EnvOps, TaskOps, FrameOps, OutputOps):
    """Every operation of the farm (``op_<operation>``), over one :class:`FarmCore`."""
