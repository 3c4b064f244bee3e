"""The farm's catalogue: software versions, plugins and error codes, from catalogue.json.

The JSON file beside this module is the one place to edit what the local farm offers. This
module reads it, checks its ids are unique, and answers the shapes the protocol wants.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

__all__ = ["Catalogue", "load_catalogue", "CATALOGUE_PATH"]

#: The data file.
CATALOGUE_PATH = Path(__file__).with_name("catalogue.json")


@dataclass
class Catalogue:
    """The loaded catalogue; ``raw`` is the file's content."""

    raw: Dict[str, Any]
    software: Dict[int, Dict[str, Any]] = field(default_factory=dict)
    #: plugin version id -> (cgId, plugin name, version string, [cg versions])
    plugins: Dict[int, Tuple[int, str, str, List[str]]] = field(default_factory=dict)

    # --- querySupportedSoftware ---------------------------------------------------------
    def supported_software(self) -> Dict[str, Any]:
        keys = ("cgId", "cgName", "cgType", "iconPath", "isNeedProjectPath", "isNeedAnalyse", "isSupportLinux")
        return {
            "isAutoCommit": self.raw.get("isAutoCommit", 2),
            "renderInfoList": [{k: sw.get(k) for k in keys} for sw in self.software.values()],
            "defaultCgId": self.raw.get("defaultCgId", 2000),
        }

    # --- querySupportedPlugin -----------------------------------------------------------
    def versions(self, cg_id: int, os_name: Optional[str] = None) -> List[Dict[str, Any]]:
        sw = self.software.get(cg_id)
        if sw is None:
            return []
        return [v for v in sw["versions"] if os_name is None or os_name in v.get("os", ["windows"])]

    def supported_plugin(self, cg_id: int, os_name: Optional[str] = None) -> Dict[str, Any]:
        sw = self.software.get(cg_id)
        if sw is None:
            return {"cgPlugin": [], "cgVersion": []}
        versions = self.versions(cg_id, os_name)
        cg_plugin = []
        for version in versions:
            for plugin in sw.get("plugins", []):
                pvs = [
                    {"pluginId": pv["id"], "pluginName": plugin["name"],
                     "pluginVersion": "%s %s" % (plugin["name"], pv["version"])}
                    for pv in plugin["versions"] if version["cgVersion"] in pv.get("cg", [])
                ]
                if pvs:
                    cg_plugin.append({"cvId": version["id"], "pluginName": plugin["name"], "pluginVersions": pvs})
        return {
            "cgPlugin": cg_plugin,
            "cgVersion": [
                {"id": v["id"], "cgId": cg_id, "cgName": sw["cgName"], "cgVersion": v["cgVersion"]} for v in versions
            ],
        }

    def plugin_info(self, plugin_id: int) -> Dict[str, Any]:
        """A PluginVersion object (respUserPluginInfoVos item)."""
        _, name, version, _ = self.plugins[plugin_id]
        return {"pluginId": plugin_id, "pluginName": name, "pluginVersion": "%s %s" % (name, version)}

    def check_env(self, cg_id: int, cg_name: str, cg_version: str, plugin_ids: List[int], os_name: str) -> str:
        """'' if the render environment is possible, else what is wrong."""
        sw = self.software.get(cg_id)
        if sw is None:
            return "unknown cgId %s: the farm offers %s" % (
                cg_id, ", ".join("%s %s" % (k, s["cgName"]) for k, s in self.software.items()))
        if cg_name and cg_name.lower().replace(" ", "") != sw["cgName"].lower().replace(" ", ""):
            return "cgName %r does not match cgId %s (%s)" % (cg_name, cg_id, sw["cgName"])
        versions = [v for v in sw["versions"] if v["cgVersion"] == cg_version]
        if not versions:
            return "%s %s is not offered: choose one of %s" % (
                sw["cgName"], cg_version, ", ".join(v["cgVersion"] for v in sw["versions"]))
        if os_name not in versions[0].get("os", ["windows"]):
            return "%s %s does not render on %s" % (sw["cgName"], cg_version, os_name)
        names = set()
        for pid in plugin_ids:
            entry = self.plugins.get(pid)
            if entry is None or entry[0] != cg_id:
                return "unknown plugin id %s for %s" % (pid, sw["cgName"])
            if cg_version not in entry[3]:
                return "plugin %s %s (id %s) does not run with %s %s" % (entry[1], entry[2], pid, sw["cgName"], cg_version)
            if entry[1] in names:
                return "two versions of plugin %s chosen" % entry[1]
            names.add(entry[1])
        return ""

    # --- queryErrorDetail ---------------------------------------------------------------
    def error_detail(self, code: str, english: bool, updated_ms: int) -> List[Dict[str, Any]]:
        out = []
        for entry in self.raw.get("errorCodes", []):
            if str(entry["code"]) != str(code):
                continue
            out.append({
                "id": entry["id"], "code": str(entry["code"]), "type": entry["type"],
                "languageFlag": 1 if english else 0,
                "desDescriptionCn": entry["en"] if english else entry["cn"],
                "desSolutionCn": entry["enSolution"] if english else entry["cnSolution"],
                "solutionPath": entry.get("solutionPath", ""), "isRepair": entry.get("isRepair", 0),
                "isDelete": 1, "isOpen": entry.get("isOpen", 1), "lastModifyAdmin": "", "updateTime": updated_ms,
            })
        return out


def load_catalogue(path: Union[str, Path, None] = None) -> Catalogue:
    """Read and check the catalogue (ValueError names a duplicate id, or a plugin version for a
    software version the catalogue does not offer)."""
    raw = json.loads(Path(path or CATALOGUE_PATH).read_text(encoding="utf-8"))
    cat = Catalogue(raw)
    seen_versions = set()
    for sw in raw["software"]:
        cat.software[int(sw["cgId"])] = sw
        for version in sw["versions"]:
            if version["id"] in seen_versions:
                raise ValueError("catalogue: software version id %s is used twice" % version["id"])
            seen_versions.add(version["id"])
        offered = {version["cgVersion"] for version in sw["versions"]}
        for plugin in sw.get("plugins", []):
            for pv in plugin["versions"]:
                if pv["id"] in cat.plugins:
                    raise ValueError("catalogue: plugin version id %s is used twice" % pv["id"])
                unknown = sorted(set(pv.get("cg", [])) - offered)
                if unknown:
                    raise ValueError("catalogue: plugin version id %s runs with %s %s, which the catalogue does not offer"
                                     % (pv["id"], sw["cgName"], ", ".join(unknown)))
                cat.plugins[int(pv["id"])] = (int(sw["cgId"]), plugin["name"], pv["version"], list(pv.get("cg", [])))
    return cat
