"""Account, settings, transfer ids, error details, labels and the catalogue's software."""

from typing import Any, Dict

from renderbus_dcc.constants import ErrorCode
from renderbus_dcc.farm.core import BIDS, Call, FarmCore
from renderbus_dcc.farm.life import PRICE_PER_SECOND

#: The account's CPU price per core-hour: a node (8 cores) costs PRICE_PER_SECOND a second.
CPU_PRICE = round(PRICE_PER_SECOND * 3600 / 8, 4)
from renderbus_dcc.farm.envelope import FarmError
from renderbus_dcc.farm.params import int_field, str_field


class AccountOps(FarmCore):
    """Account, settings, transfer ids, error details, labels and the catalogue's software."""

    def op_queryPlatforms(self, call: Call, body: Dict[str, Any]) -> Any:
        zone = int_field(body, "zone", required=True, choices=(1, 2))
        platforms = [2, 3, 5, 6, 8, 9] if zone == 1 else [2]
        return [{"platform": p, "name": "query_platform_w%d" % p} for p in platforms]

    def _spent(self, call: Call) -> float:
        cents = self.db.value("SELECT SUM(c.fee_cents) FROM frame_counts c JOIN tasks t ON t.id = c.shell_id "
                              "WHERE t.user_id = ?", call.user_id)
        return round((cents or 0) / 100.0, 2)

    def op_queryUserProfile(self, call: Call, body: Dict[str, Any]) -> Any:
        u = call.user
        spent = self._spent(call)
        return {
            "userId": u["user_id"], "userName": u["user_name"], "platform": u["platform"], "phone": "", "email": "",
            "company": "", "name": "", "job": "", "communicationNumber": "", "softType": 2000, "softStatus": 1,
            "businessType": 1, "status": 1, "infoStatus": 0, "accountType": 1, "userType": 1, "mainUserId": 0,
            "level": 49, "pictureLever": None, "zone": 1, "rmbbalance": round(1000.0 - spent, 2), "usdbalance": 0,
            "rmbCumulative": spent, "usdCumulative": 0, "credit": 0, "coupon": 0, "description": "local farm",
            "country": "", "city": "", "address": "", "cpuPrice": CPU_PRICE, "gpuPrice": 20, "shareMainCapital": 0,
            "subDeleteTask": 0, "useMainBalance": 0, "hideBalance": 0, "hideJobCharge": 0, "useLevelDirectory": 1,
            "downloadDisable": 0, "displaySubaccount": 1, "subaccountLimits": 5, "houdiniFlag": 0, "c4dFlag": 0,
            "blenderFlag": 1, "keyshotFlag": 0, "studentEndTime": None,
        }

    def op_queryUserSetting(self, call: Call, body: Dict[str, Any]) -> Any:
        seconds = int(call.user["task_over_time_sec"])
        data = {
            "infoStatus": None, "accountType": None, "shareMainCapital": 0, "subDeleteTask": 0, "useMainBalance": 0,
            "singleNodeRenderFrames": "1", "maxIgnoreMapFlag": "1", "autoCommit": "2", "separateAccountFlag": 0,
            "mifileSwitchFlag": 0, "assfileSwitchFlag": 0, "manuallyStartAnalysisFlag": 0, "downloadDisable": 0,
            "taskOverTime": seconds // 3600,
        }
        if call.profile == "v2":
            data["taskOverTimeSec"] = seconds
        return data

    def op_updateUserSetting(self, call: Call, body: Dict[str, Any]) -> Any:
        if call.profile == "v2":
            seconds = int_field(body, "taskOverTimeSec", required=True, lo=60, hi=30 * 86400)
        else:
            seconds = (int_field(body, "taskOverTime", required=True, lo=1, hi=720) or 0) * 3600
        self.db.run("UPDATE accounts SET task_over_time_sec = ? WHERE user_id = ?", seconds, call.user_id)
        return None

    def op_getTransferBid(self, call: Call, body: Dict[str, Any]) -> Any:
        data = dict(BIDS)
        if call.profile == "v2":
            data["parent_input_bid"] = BIDS["input_bid"]
        return data

    def op_queryErrorDetail(self, call: Call, body: Dict[str, Any]) -> Any:
        """Details of one ``code``, or (v2, as the official SDK sends them) of every code in ``codes``."""
        codes = body.get("codes") if call.profile == "v2" else None
        if codes is not None and (not isinstance(codes, list) or len(codes) > 1000
                                  or not all(isinstance(c, (str, int)) and not isinstance(c, bool) for c in codes)):
            raise FarmError(ErrorCode.PARAMETER_INVALID, "codes must be a list of error codes")
        code = str_field(body, "code", required=not codes)
        language = str_field(body, "language", default="0")
        if language not in ("0", "1"):
            raise FarmError(ErrorCode.PARAMETER_INVALID, "language must be 0 (Chinese) or 1 (English)")
        wanted = list(dict.fromkeys(([code] if code else []) + [str(c) for c in codes or []]))
        return [d for c in wanted for d in self.catalogue.error_detail(c, language == "1", 1534387709000)]

    # --- labels -------------------------------------------------------------------------
    def op_addLabel(self, call: Call, body: Dict[str, Any]) -> Any:
        name = str_field(body, "newName", required=True) or ""
        status = int_field(body, "status", default=0)
        if self.db.one("SELECT id FROM labels WHERE user_id = ? AND name = ?", call.user_id, name):
            raise FarmError(ErrorCode.PARAMETER_INVALID, "label %r already exists" % name)
        self.db.run("INSERT INTO labels (user_id, name, status) VALUES (?, ?, ?)", call.user_id, name, status)
        return None

    def op_deleteLabel(self, call: Call, body: Dict[str, Any]) -> Any:
        name = str_field(body, "delName", required=True)
        if not self.db.run("DELETE FROM labels WHERE user_id = ? AND name = ?", call.user_id, name):
            raise FarmError(ErrorCode.RESOURCE_NOT_FOUND, "no label %r" % name)
        return None

    def op_getLabelList(self, call: Call, body: Dict[str, Any]) -> Any:
        rows = self.db.all("SELECT id, name FROM labels WHERE user_id = ? ORDER BY id", call.user_id)
        return {"projectNameList": [{"projectId": r["id"], "projectName": r["name"]} for r in rows]}

    # --- catalogue and render environments -------------------------------------------------
    def op_querySupportedSoftware(self, call: Call, body: Dict[str, Any]) -> Any:
        return self.catalogue.supported_software()

    def op_querySupportedPlugin(self, call: Call, body: Dict[str, Any]) -> Any:
        cg_id = int_field(body, "cgId", required=True)
        os_name = None
        if call.profile == "v2":
            os_name = str_field(body, "osName")
            if os_name is not None and os_name not in ("windows", "linux"):
                raise FarmError(ErrorCode.PARAMETER_INVALID, "osName must be windows or linux")
        if cg_id not in self.catalogue.software:
            raise FarmError(ErrorCode.PARAMETER_INVALID, "unknown cgId %s" % cg_id)
        return self.catalogue.supported_plugin(cg_id or 0, os_name)
