"""The farm's operations: one handler per operation of the protocol, area by area.

:class:`FarmAPI` puts the areas together over :class:`~renderbus_dcc.farm.core.FarmCore` (the
state and the task life); each area's handlers live in a module of their own:
``ops_account`` (account, settings, labels, software), ``ops_envs`` (render environments),
``ops_tasks`` (create, submit, list, actions), ``ops_frames`` (frames, progress images),
``outputs`` (the rendered frames), ``ops_transfer`` (files and task files), and the live
service's operations beyond the document: ``ops_manage`` (priority, stopping frames, logs,
thumbnails, task labels, limits) and ``ops_platform`` (projects, hardware, transfer settings,
records).
"""

from typing import Any, Dict

from renderbus_dcc import routes
from renderbus_dcc.farm.core import BIDS, Call, FarmTime
from renderbus_dcc.farm.ops_account import AccountOps
from renderbus_dcc.farm.ops_envs import EnvOps
from renderbus_dcc.farm.ops_platform import PlatformOps
from renderbus_dcc.farm.ops_transfer import TransferOps

__all__ = ["FarmAPI", "FarmTime", "Call", "BIDS"]


class FarmAPI(AccountOps, EnvOps, PlatformOps, TransferOps):
    """Every operation of the farm (``op_<operation>``), over one :class:`FarmCore`."""

    def handle(self, operation: str, call: Call, body: Dict[str, Any]) -> Any:
        """Run the operation; a change the account made (or its sign-in) is kept in its records."""
        with self.db.transaction():
            data = super().handle(operation, call, body)
            if routes.operation(operation).mutates:
                self.record(call, "task", operation, body)
            elif operation == "queryUserProfile":
                self.record(call, "login", operation)
            return data
