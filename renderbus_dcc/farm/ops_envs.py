"""Render environments: add, update, delete, set default, list."""

import json
from typing import Any, Dict, List, Optional

from renderbus_dcc.constants import ErrorCode
from renderbus_dcc.farm.core import Call, FarmCore
from renderbus_dcc.farm.envelope import FarmError
from renderbus_dcc.farm.params import int_field, int_list, str_field


class EnvOps(FarmCore):
    """Render environments: add, update, delete, set default, list."""

    def _env_fields(self, call: Call, body: Dict[str, Any]) -> Dict[str, Any]:
        cg_id = int_field(body, "cgId", required=True) or 0
        fields: Dict[str, Any] = {
            "cg_id": cg_id, "cg_name": str_field(body, "cgName", default="") or "",
            "cg_version": str_field(body, "cgVersion", required=True) or "",
            "edit_name": (str_field(body, "editName", required=True) or "").strip(),
            "render_layer_type": int_field(body, "renderLayerType", default=0, choices=(0, 1)),
            "os_name": int_field(body, "renderSystem", default=1, choices=(0, 1)),
            "plugin_ids": int_list(body, "pluginIds") or [],
            "project_path": str_field(body, "projectPath", default="") if call.profile == "v2" else "",
        }
        if not fields["edit_name"]:
            raise FarmError(ErrorCode.PARAMETER_CANT_BE_EMPTY, "editName is required")
        problem = self.catalogue.check_env(cg_id, fields["cg_name"], fields["cg_version"], fields["plugin_ids"],
                                           "windows" if fields["os_name"] == 1 else "linux")
        if problem:
            raise FarmError(ErrorCode.PARAMETER_INVALID, problem)
        fields["cg_name"] = self.catalogue.software[cg_id]["cgName"]
        return fields

    def _env(self, call: Call, edit_name: Optional[str]) -> Dict[str, Any]:
        row = self.db.one("SELECT * FROM render_envs WHERE user_id = ? AND edit_name = ?", call.user_id, edit_name)
        if row is None:
            raise FarmError(ErrorCode.RESOURCE_NOT_FOUND, "no render environment %r" % edit_name)
        return row

    def op_addRenderEnv(self, call: Call, body: Dict[str, Any]) -> Any:
        f = self._env_fields(call, body)
        if self.db.one("SELECT id FROM render_envs WHERE user_id = ? AND edit_name = ?", call.user_id, f["edit_name"]):
            raise FarmError(ErrorCode.PARAMETER_INVALID,
                            "a render environment named %r exists: choose another editName or update it" % f["edit_name"])
        self.db.run("INSERT INTO render_envs (user_id, cg_id, edit_name, cg_name, cg_version, os_name, render_layer_type, "
                    "plugin_ids, project_path) VALUES (?,?,?,?,?,?,?,?,?)", call.user_id, f["cg_id"], f["edit_name"],
                    f["cg_name"], f["cg_version"], f["os_name"], f["render_layer_type"], json.dumps(f["plugin_ids"]),
                    f["project_path"] or "")
        return {"editName": f["edit_name"]}

    def op_updateRenderEnv(self, call: Call, body: Dict[str, Any]) -> Any:
        f = self._env_fields(call, body)
        row = self._env(call, f["edit_name"])
        self.db.run("UPDATE render_envs SET cg_id=?, cg_name=?, cg_version=?, os_name=?, render_layer_type=?, plugin_ids=?, "
                    "project_path=?, is_default = CASE WHEN cg_id = ? THEN is_default ELSE 0 END WHERE id=?",
                    f["cg_id"], f["cg_name"], f["cg_version"], f["os_name"], f["render_layer_type"],
                    json.dumps(f["plugin_ids"]), f["project_path"] or row["project_path"], f["cg_id"], row["id"])
        return None

    def op_deleteRenderEnv(self, call: Call, body: Dict[str, Any]) -> Any:
        row = self._env(call, str_field(body, "editName", required=True))
        self.db.run("DELETE FROM render_envs WHERE id = ?", row["id"])
        return None

    def op_setDefaultRenderEnv(self, call: Call, body: Dict[str, Any]) -> Any:
        row = self._env(call, str_field(body, "editName", required=True))
        self.db.run("UPDATE render_envs SET is_default = (id = ?) WHERE user_id = ? AND cg_id = ?",
                    row["id"], call.user_id, row["cg_id"])
        return None

    def op_getRenderEnv(self, call: Call, body: Dict[str, Any]) -> Any:
        cg_ids: List[int] = []
        cg_id = int_field(body, "cgId")
        if cg_id is not None:
            cg_ids.append(cg_id)
        os_name = None
        if call.profile == "v2":
            cg_ids += int_list(body, "cgIds") or []
            os_name = int_field(body, "osName", choices=(0, 1))
        rows = self.db.all("SELECT * FROM render_envs WHERE user_id = ? ORDER BY id", call.user_id)
        out = []
        for r in rows:
            if (cg_ids and r["cg_id"] not in cg_ids) or (os_name is not None and r["os_name"] != os_name):
                continue
            plugins = [self.catalogue.plugin_info(p) for p in json.loads(r["plugin_ids"]) if p in self.catalogue.plugins]
            env = {"cgId": r["cg_id"], "editName": r["edit_name"], "cgName": r["cg_name"], "cgVersion": r["cg_version"],
                   "osName": r["os_name"], "renderLayerType": r["render_layer_type"], "isDefault": r["is_default"],
                   "respUserPluginInfoVos": plugins}
            if call.profile == "v2":
                env["projectPath"] = r["project_path"]
            out.append(env)
        return out
