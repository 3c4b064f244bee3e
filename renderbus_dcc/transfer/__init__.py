"""Moving files to the farm, behind one small interface (:class:`TransferBackend`).

- :class:`~renderbus_dcc.transfer.localfarm.LocalFarmTransfer`: the local farm's HTTP upload
  (resumable, chunked, md5-checked);
- :class:`~renderbus_dcc.transfer.rayvision.RayvisionTransfer`: the official ``rayvision_sync``
  package, for the live service, where it is installed;
- :class:`~renderbus_dcc.transfer.export.ExportTransfer`: a dry run that writes everything to a
  folder for inspection.

Backends are imported lazily: importing this package imports no network library.
"""

from renderbus_dcc.transfer.base import TransferBackend, TransferItem, TransferProgress, default_backend

__all__ = ["TransferBackend", "TransferItem", "TransferProgress", "default_backend"]
