"""The live service's account-side operations beyond the document (profile v2, as the official SDK
calls them): projects, hardware, transfer settings, pack nodes, and the records of what an account
did (tasks) and when it signed in."""

import hashlib
import hmac
import json
from typing import Any, Dict, List, Optional

from renderbus_dcc.constants import ErrorCode
from renderbus_dcc.farm.core import Call
from renderbus_dcc.farm.envelope import FarmError
from renderbus_dcc.farm.ops_manage import ManageOps
from renderbus_dcc.farm.params import MAX_PAGE, int_field, page, time_field

#: Records kept per account and kind (older ones are dropped).
MAX_RECORDS = 1000


class PlatformOps(ManageOps):
    """Projects, hardware, transfer settings, pack nodes, task and sign-in records."""

    def op_projectList(self, call: Call, body: Dict[str, Any]) -> Any:
        """The account's projects (the labels of getLabelList); ``flag`` 0, 1 or 2 (sub-accounts: none here)."""
        int_field(body, "flag", required=True, choices=(0, 1, 2))
        rows = self.db.all("SELECT id, name FROM labels WHERE user_id = ? ORDER BY id", call.user_id)
        return {"projectNameList": [{"projectId": r["id"], "projectName": r["name"]} for r in rows]}

    def op_hardwareConfigList(self, call: Call, body: Dict[str, Any]) -> Any:
        return self.hardware_configs(call)

    def op_getRaySyncUserKey(self, call: Call, body: Dict[str, Any]) -> Any:
        """What a Raysync client signs in with: a key derived from the access key (never the key itself)."""
        derived = hmac.new(call.user["access_key"].encode("utf-8"), b"raysync", hashlib.sha1).hexdigest()
        return {"raySyncUserKey": derived, "userName": call.user["user_name"], "platform": call.user["platform"]}

    def _host_port(self, call: Call) -> List[str]:
        host, _, port = call.host.rpartition(":")
        return [host or call.host, port if port.isdigit() else "80"]

    def op_getServerInfo(self, call: Call, body: Dict[str, Any]) -> Any:
        """Where the transfer engine listens: this farm moves files over its own HTTP routes, on its own port."""
        int_field(body, "zone", choices=(1, 2))
        host, port = self._host_port(call)
        return {"raysyncTransfer": {"serverIp": host, "serverPort": int(port), "port": int(port), "sslPort": int(port),
                                    "proxyIp": host, "proxyPort": int(port)}}

    def op_getTransferConfig(self, call: Call, body: Dict[str, Any]) -> Any:
        host, port = self._host_port(call)
        return {"transferEngine": "http", "serverIp": host, "serverPort": int(port),
                "uploadPath": "/api/farm/transfer/upload", "downloadPath": "/api/farm/transfer/download",
                "chunkSize": 4 * 1024 * 1024, "maxChunkSize": 64 * 1024 * 1024}

    def op_getUserPackNodeInfo(self, call: Call, body: Dict[str, Any]) -> Any:
        return []  # no machines reserved for the account on this farm

    # --- records ---------------------------------------------------------------------------------
    def record(self, call: Call, kind: str, operation: str, body: Optional[Dict[str, Any]] = None) -> None:
        """Note an operation of the account (kind "task" or "login")."""
        detail = {k: body[k] for k in ("taskId", "taskIds", "count") if body and k in body}
        with self.db.transaction():
            self.db.run("INSERT INTO records (user_id, kind, ms, operation, detail) VALUES (?,?,?,?,?)",
                        call.user_id, kind, self.now_ms(), operation, json.dumps(detail)[:500])
            self.db.run("DELETE FROM records WHERE user_id = ? AND kind = ? AND id <= (SELECT id FROM records "
                        "WHERE user_id = ? AND kind = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
                        call.user_id, kind, call.user_id, kind, MAX_RECORDS)

    def _records(self, call: Call, body: Dict[str, Any], kind: str) -> Any:
        page_num = int_field(body, "pageNum", required=True, lo=1, hi=MAX_PAGE) or 1
        page_size = int_field(body, "pageSize", required=True, lo=1, hi=1000) or 1
        where, args = "user_id = ? AND kind = ?", [call.user_id, kind]  # type: str, List[Any]
        for name, op in (("startDate", ">="), ("endDate", "<=")):
            value = time_field(body, name)
            if value is not None:
                where += " AND ms %s ?" % op
                args.append(value)
        total = self.db.value("SELECT COUNT(*) FROM records WHERE " + where, *args)
        rows = self.db.all("SELECT * FROM records WHERE %s ORDER BY id DESC LIMIT ? OFFSET ?" % where,
                           *args, page_size, (page_num - 1) * page_size)
        items = [{"id": r["id"], "userId": r["user_id"], "operation": r["operation"], "operateTime": r["ms"],
                  "detail": json.loads(r["detail"] or "{}")} for r in rows]
        return page(items, total, page_num, page_size)

    def op_taskRecord(self, call: Call, body: Dict[str, Any]) -> Any:
        platform = int_field(body, "platform", required=True)
        if platform != call.user["platform"]:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "platform %s is not the account's (%s)" % (platform,
                                                                                                 call.user["platform"]))
        return self._records(call, body, "task")

    def op_loginRecord(self, call: Call, body: Dict[str, Any]) -> Any:
        return self._records(call, body, "login")
