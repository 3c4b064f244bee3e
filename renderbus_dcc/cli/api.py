"""`renderbus` subcommands for the API: account, software, environments, tasks, labels, config.

``renderbus platforms | whoami | settings | software | plugins CG | env ... | tasks ... |
labels ... | error-detail CODE | progress TASK_ID | bid | config [show]``. Every command takes
``--endpoint``, ``--profile``, ``--platform`` and ``--json`` (machine-readable output). Handlers
are thin: they call the client and hand the result to a ``format_*`` function (data in, text out).
"""

import argparse
import datetime
import getpass
import json
import os
import sys
import unicodedata
from typing import Any, Callable, Dict, List, Optional, Sequence

from renderbus_dcc.constants import CgId, FrameStatus, FrameType, TaskStatus
from renderbus_dcc.i18n import N_, _

__all__ = [
    "register",
    "add_common_arguments",
    "client_from_args",
    "parse_cg_id",
    "display_width",
    "format_table",
    "format_fields",
    "format_tasks",
    "format_task",
    "format_frames",
    "format_progress",
    "format_envs",
    "format_plugins",
    "format_software",
    "to_json",
]

# --- formatting (pure) ------------------------------------------------------------------


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 0 if unicodedata.combining(ch) else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (TaskStatus, FrameStatus, FrameType)):
        from renderbus_dcc.labels import lower_label

        return lower_label(value)
    if isinstance(value, float):
        return ("%.2f" % value).rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    return " ".join(str(value).split())


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], numeric: Sequence[int] = ()) -> str:
    """An aligned text table; columns in ``numeric`` are right-aligned; headers are translated."""
    headers = [_(h) for h in headers]
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [display_width(h) for h in headers]
    for row in cells:
        for i, text in enumerate(row):
            widths[i] = max(widths[i], display_width(text))
    lines = ["  ".join(_pad(h, widths[i], i in numeric) for i, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(_pad(t, widths[i], i in numeric) for i, t in enumerate(row)).rstrip())
    if not rows:
        lines.append(_("(none)"))
    return "\n".join(lines)


def format_fields(pairs: Sequence[Sequence[Any]]) -> str:
    """``label: value`` lines, labels aligned (and translated)."""
    labels = [_(str(k)) for k, _v in pairs]
    width = max((display_width(k) for k in labels), default=0)
    return "\n".join("%s  %s" % (_pad(k + _(":"), width + display_width(_(":"))), _cell(v))
                     for k, (_k, v) in zip(labels, pairs))


def _time(ms: Optional[int]) -> str:
    if not ms:
        return ""
    return datetime.datetime.fromtimestamp(ms / 1000.0).strftime("%Y-%m-%d %H:%M")


def _duration(seconds: Optional[float]) -> str:
    if not seconds:
        return ""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return "%d:%02d:%02d" % (hours, rest // 60, rest % 60)


def _progress(task: Any) -> str:
    if not task.total_frames:
        return ""
    return "%d/%d" % (task.done_frames, task.total_frames)


def format_tasks(tasks: Sequence[Any], page: Any = None) -> str:
    """The task list: id, alias, status, frames done, cost, scene, submitted."""
    rows = [
        (t.id, t.alias, t.status, _progress(t), t.failed_frames or "", t.render_consume, t.project_name, t.scene_name, _time(t.submit_date))
        for t in tasks
    ]
    text = format_table((N_("ID"), N_("ALIAS"), N_("STATUS"), N_("DONE"), N_("FAILED"), N_("COST"), N_("LABEL"),
                         N_("SCENE"), N_("SUBMITTED")), rows, numeric=(0, 3, 4, 5))
    if page is not None and page.page_count > 1:
        text += "\n" + _("page %(page)d of %(pages)d (%(total)d tasks)") % {
            "page": page.page_num, "pages": page.page_count, "total": page.total}
    return text


def format_task(task: Any) -> str:
    """One task in detail, with its rendering tasks."""
    text = format_fields(
        [
            (N_("task"), "%s (%s)" % (task.id, task.alias)),
            (N_("scene"), task.scene_name),
            (N_("status"), task.status),
            (N_("software"), _cg_name(task.cg_id)),
            (N_("frames"), _("%(done)d done, %(running)d running, %(failed)d failed, %(abandoned)d abandoned of %(total)d")
             % {"done": task.done_frames, "running": task.executing_frames, "failed": task.failed_frames,
                "abandoned": task.abort_frames, "total": task.total_frames}),
            (N_("cost"), task.render_consume),
            (N_("label"), task.project_name),
            (N_("camera"), task.render_camera),
            (N_("submitted"), _time(task.submit_date)),
            (N_("started"), _time(task.start_time)),
            (N_("completed"), _time(task.completed_date)),
        ]
    )
    if task.children:
        rows = [(c.id, c.task_type, c.status, _progress(c), c.failed_frames, c.render_consume, _duration(c.render_duration)) for c in task.children]
        text += "\n\n" + format_table((N_("ID"), N_("TYPE"), N_("STATUS"), N_("DONE"), N_("FAILED"), N_("COST"), N_("TIME")),
                                          rows, numeric=(0, 3, 4, 5))
    return text


def format_frames(frames: Sequence[Any], page: Any = None) -> str:
    """Frames of a task: id, frame, block, status, type, time, cost."""
    rows = [
        (f.id, f.frame_index, f.frame_block, f.status, f.frame_type, _duration(f.execute_time), f.fee_amount + f.coupon_fee, f.recommit_flag or "")
        for f in frames
    ]
    text = format_table((N_("ID"), N_("FRAME"), N_("BLOCK"), N_("STATUS"), N_("TYPE"), N_("TIME"), N_("COST"),
                         N_("RETRIES")), rows, numeric=(0, 6, 7))
    if page is not None and page.page_count > 1:
        text += "\n" + _("page %(page)d of %(pages)d (%(total)d frames)") % {
            "page": page.page_num, "pages": page.page_count, "total": page.total}
    return text


def format_progress(image: Any) -> str:
    """A progress image: the frame's size and every block's progress."""
    head = _("%(scene)s  %(width)dx%(height)d  %(blocks)d block(s)  %(stage)s") % {
        "scene": image.scene_name, "width": image.width, "height": image.height, "blocks": image.block,
        "stage": image.current_task_type}
    rows = []
    for row in image.blocks:
        for b in row:
            status = FrameStatus(b.frame_status) if b.frame_status in FrameStatus._value2member_map_ else b.frame_status
            rows.append((b.frame_index, b.frame_block, status, "%.0f%%" % b.frame_percent, _duration(b.frame_used), _duration(b.frame_est), b.fee_amount + b.coupon_fee))
    return head + "\n" + format_table((N_("FRAME"), N_("BLOCK"), N_("STATUS"), N_("DONE"), N_("USED"), N_("LEFT"), N_("COST")), rows,
                                     numeric=(3, 6))


def format_software(supported: Any) -> str:
    rows = [(s.cg_id, s.cg_name, s.cg_type, _("yes") if s.is_support_linux else _("no")) for s in supported.software]
    return format_table((N_("CG_ID"), N_("SOFTWARE"), N_("FILES"), N_("LINUX")), rows)


def format_plugins(catalogue: Any) -> str:
    """Software versions, then plugins with their versions, grouped by software version."""
    names = {v.id: "%s %s" % (v.cg_name, v.cg_version) for v in catalogue.versions}
    text = format_table((N_("CV_ID"), N_("SOFTWARE"), N_("VERSION")), [(v.id, v.cg_name, v.cg_version) for v in catalogue.versions])
    rows = [(names.get(p.cv_id, p.cv_id), v.plugin_id, v.plugin_name, v.plugin_version) for p in catalogue.plugins for v in p.versions]
    return text + "\n\n" + format_table((N_("FOR"), N_("PLUGIN_ID"), N_("PLUGIN"), N_("VERSION")), rows)


def format_envs(envs: Sequence[Any]) -> str:
    rows = [
        ("*" if e.is_default else "", e.edit_name, "%s %s" % (e.cg_name, e.cg_version), "windows" if e.os_name == 1 else "linux",
         ", ".join(p.plugin_version or p.plugin_name for p in e.plugins))
        for e in envs
    ]
    return format_table((N_("DEFAULT"), N_("NAME"), N_("SOFTWARE"), N_("OS"), N_("PLUGINS")), rows)


def to_json(value: Any) -> str:
    """JSON text of a result (models as dicts, enums as numbers), UTF-8 kept readable."""

    def plain(v: Any) -> Any:
        if hasattr(v, "to_dict"):
            return v.to_dict()
        if isinstance(v, (list, tuple)):
            return [plain(i) for i in v]
        return v

    return json.dumps(plain(value), ensure_ascii=False, indent=2, default=str)


def _cg_name(cg_id: int) -> str:
    try:
        return CgId(cg_id).name.replace("_", " ").title() if cg_id != CgId.MAX else "3ds Max"
    except ValueError:
        return str(cg_id)


_CG_ALIASES = {"maya": 2000, "max": 2001, "3dsmax": 2001, "3ds max": 2001, "blender": 2007, "houdini": 2004, "c4d": 2005,
               "cinema4d": 2005, "katana": 2016, "clarisse": 2013, "nuke": 2015, "keyshot": 2012, "vray": 2008, "sketchup": 2010}


def parse_cg_id(text: str) -> int:
    """``2000``, ``maya``, ``max``, ``blender`` -> the cg_id."""
    value = str(text).strip().lower()
    if value.isdigit():
        return int(value)
    if value in _CG_ALIASES:
        return _CG_ALIASES[value]
    raise argparse.ArgumentTypeError(_("unknown software %r: give a cg id (2000 Maya, 2001 3ds Max, 2007 Blender) or a name") % text)


# --- plumbing ---------------------------------------------------------------------------


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """``--endpoint``, ``--profile``, ``--platform``, ``--json`` (for other groups too)."""
    group = parser.add_argument_group(_("connection"))
    group.add_argument("--endpoint", help=_("API address, e.g. https://task.renderbus.com or http://127.0.0.1:8765"))
    group.add_argument("--profile", choices=("v1", "v2"), help=_("route profile: v1 (the document) or v2 (live service)"))
    group.add_argument("--platform", type=int, help=_("platform number (see `renderbus platforms`)"))
    group.add_argument("--json", action="store_true", help=_("print JSON for scripts instead of tables"))


def client_from_args(args: argparse.Namespace) -> Any:
    """A RenderbusClient from the configuration, with the command line's overrides."""
    from renderbus_dcc.client import RenderbusClient

    return RenderbusClient.from_config(
        endpoint=getattr(args, "endpoint", None), profile=getattr(args, "profile", None), platform=getattr(args, "platform", None)
    )


def _out(text: str) -> None:
    sys.stdout.write(text + ("\n" if not text.endswith("\n") else ""))


def _show(args: argparse.Namespace, value: Any, formatter: Callable[[Any], str]) -> int:
    _out(to_json(value) if args.json else formatter(value))
    return 0


def _done(args: argparse.Namespace, message: str, **result: Any) -> int:
    _out(to_json(dict(ok=True, **result)) if args.json else message)
    return 0


# --- handlers ---------------------------------------------------------------------------


def cmd_platforms(args: argparse.Namespace) -> int:
    platforms = client_from_args(args).query_platforms(zone=args.zone)
    return _show(args, platforms, lambda ps: format_table((N_("PLATFORM"), N_("NAME")), [(p.platform, p.name) for p in ps]))


def cmd_whoami(args: argparse.Namespace) -> int:
    client = client_from_args(args)
    profile = client.query_user_profile()

    def text(p: Any) -> str:
        return format_fields(
            [
                (N_("user"), "%s (%s)" % (p.user_name, p.user_id)),
                (N_("endpoint"), _("%(endpoint)s (platform %(platform)s, profile %(profile)s)") % {
                    "endpoint": client.endpoint, "platform": client.platform, "profile": client.profile}),
                (N_("balance"), _("%(cny).2f CNY, %(usd).2f USD") % {"cny": p.rmb_balance, "usd": p.usd_balance}),
                (N_("coupons"), p.coupon),
                (N_("credit"), p.credit),
                (N_("prices"), "CPU %s, GPU %s" % (_cell(p.cpu_price), _cell(p.gpu_price))),
                (N_("account"), _("sub-account of %s") % p.main_user_id if p.main_user_id else _("main account")),
            ]
        )

    return _show(args, profile, text)


def cmd_settings(args: argparse.Namespace) -> int:
    client = client_from_args(args)
    if args.task_over_time is not None:
        client.update_user_setting(task_over_time=args.task_over_time)
    setting = client.query_user_setting()
    return _show(
        args,
        setting,
        lambda s: format_fields(
            [
                (N_("task timeout"), _("%d h") % s.task_over_time if s.task_over_time_sec is None
                 else _("%d s") % s.task_over_time_sec),
                (N_("frames per machine"), s.single_node_render_frames),
                (N_("ignore missing maps (max)"), s.max_ignore_map_flag),
                (N_("auto commit"), s.auto_commit),
                (N_("downloads disabled"), s.download_disable),
            ]
        ),
    )


def cmd_software(args: argparse.Namespace) -> int:
    return _show(args, client_from_args(args).query_supported_software(), format_software)


def cmd_plugins(args: argparse.Namespace) -> int:
    return _show(args, client_from_args(args).query_supported_plugin(args.cg_id), format_plugins)


def cmd_env_list(args: argparse.Namespace) -> int:
    return _show(args, client_from_args(args).get_render_env(args.cg_id), format_envs)


def _env_kwargs(args: argparse.Namespace, client: Any) -> Dict[str, Any]:
    cg_name = args.cg_name
    if not cg_name:
        found = client.query_supported_software().find(args.cg)
        cg_name = found.cg_name if found else _cg_name(args.cg)
    return dict(
        cg_id=args.cg, cg_name=cg_name, cg_version=args.version, edit_name=args.name, render_system=0 if args.linux else 1,
        plugin_ids=args.plugin_ids or [], render_layer_type=args.layer_type, project_path=args.project_path,
    )


def cmd_env_add(args: argparse.Namespace) -> int:
    client = client_from_args(args)
    name = client.add_render_env(**_env_kwargs(args, client))
    return _done(args, _("added render environment %s") % name, edit_name=name)


def cmd_env_update(args: argparse.Namespace) -> int:
    client = client_from_args(args)
    client.update_render_env(**_env_kwargs(args, client))
    return _done(args, _("updated render environment %s") % args.name, edit_name=args.name)


def cmd_env_delete(args: argparse.Namespace) -> int:
    client_from_args(args).delete_render_env(args.name)
    return _done(args, _("deleted render environment %s") % args.name, edit_name=args.name)


def cmd_env_default(args: argparse.Namespace) -> int:
    client_from_args(args).set_default_render_env(args.name)
    return _done(args, _("%s is now the default render environment") % args.name, edit_name=args.name)


def cmd_tasks_list(args: argparse.Namespace) -> int:
    page = client_from_args(args).get_task_list(
        page_num=args.page, page_size=args.size, status_list=args.status or None, search_keyword=args.search
    )
    return _show(args, page, lambda p: format_tasks(p.items, p))


def cmd_tasks_info(args: argparse.Namespace) -> int:
    page = client_from_args(args).query_task_info(args.task_ids)
    if args.json:
        return _show(args, page.items, str)
    from renderbus_dcc.errors import NotFoundError

    if not page.items:
        raise NotFoundError(_("no task %s") % ", ".join(map(str, args.task_ids)))
    _out("\n\n".join(format_task(t) for t in page.items))
    return 0


def cmd_tasks_frames(args: argparse.Namespace) -> int:
    page = client_from_args(args).query_task_frames(args.task_id, page_num=args.page, page_size=args.size, search_keyword=args.search)
    return _show(args, page, lambda p: format_frames(p.items, p))


def cmd_tasks_stats(args: argparse.Namespace) -> int:
    stats = client_from_args(args).query_all_frame_stats()
    return _show(
        args,
        stats,
        lambda s: format_fields([(N_("rendering"), s.executing), (N_("done"), s.done), (N_("failed"), s.failed),
                                 (N_("waiting"), s.waiting), (N_("total"), s.total)]),
    )


def _task_action(method: str, done: str) -> Callable[[argparse.Namespace], int]:
    """A handler calling ``method`` on the task ids and printing ``done`` (marked with N_, ``%s``: the ids)."""
    def handler(args: argparse.Namespace) -> int:
        getattr(client_from_args(args), method)(args.task_ids)
        return _done(args, _(done) % ", ".join(map(str, args.task_ids)), task_ids=args.task_ids)

    handler.__name__ = "cmd_tasks_" + method
    return handler


def cmd_tasks_retry_frames(args: argparse.Namespace) -> int:
    if not args.frame_ids and not args.all:
        from renderbus_dcc.errors import RenderbusError

        raise RenderbusError(_("no frames given"), _("give frame ids (see `renderbus tasks frames TASK_ID`) or --all"))
    client_from_args(args).restart_frame(args.task_id, ids=args.frame_ids or None, select_all=1 if args.all else 0)
    values = {"task": args.task_id, "frames": ", ".join(map(str, args.frame_ids))}
    text = _("rendering all frames of task %(task)s again") if args.all else _("rendering frames %(frames)s of task %(task)s again")
    return _done(args, text % values, task_id=args.task_id)


def cmd_labels_list(args: argparse.Namespace) -> int:
    labels = client_from_args(args).get_label_list()
    return _show(args, labels, lambda ls: format_table((N_("ID"), N_("LABEL")), [(l.project_id, l.project_name) for l in ls]))


def cmd_labels_add(args: argparse.Namespace) -> int:
    client_from_args(args).add_label(args.name)
    return _done(args, _("added label %s") % args.name, name=args.name)


def cmd_labels_delete(args: argparse.Namespace) -> int:
    client_from_args(args).delete_label(args.name)
    return _done(args, _("deleted label %s") % args.name, name=args.name)


def cmd_error_detail(args: argparse.Namespace) -> int:
    from renderbus_dcc.i18n import farm_language

    language = 1 if args.english else farm_language()
    details = client_from_args(args).query_error_detail(args.code, language=language)

    def text(ds: List[Any]) -> str:
        if not ds:
            return _("no description for code %s") % args.code
        return "\n\n".join(
            format_fields([(N_("code"), d.code),
                           (N_("kind"), _("error (blocks submission)") if d.is_blocking else _("warning")),
                           (N_("problem"), d.des_description_cn), (N_("solution"), d.des_solution_cn),
                           (N_("more"), d.solution_path)])
            for d in ds
        )

    return _show(args, details, text)


def cmd_progress(args: argparse.Namespace) -> int:
    return _show(args, client_from_args(args).load_task_process_img(args.task_id, frame_type=args.frame_type), format_progress)


def cmd_bid(args: argparse.Namespace) -> int:
    bid = client_from_args(args).get_transfer_bid()
    pairs = [(N_("config"), bid.config_bid), (N_("input"), bid.input_bid), (N_("output"), bid.output_bid)]
    if bid.parent_input_bid:
        pairs.append((N_("parent input"), bid.parent_input_bid))
    return _show(args, bid, lambda b: format_fields(pairs))


_CONFIG_FIELDS = ("access_id", "access_key", "endpoint", "platform", "profile", "confirm_frames", "confirm_cost")


def _config_summary(values: Any, origins: Dict[str, str], keyring: bool) -> str:
    """What `renderbus config` stores, field by field, with where each value comes from (the key never shown)."""
    from renderbus_dcc.config import config_path

    labels = {"access_id": _("access id"), "access_key": _("access key"), "endpoint": _("endpoint"),
              "platform": _("platform"), "profile": _("API profile"), "confirm_frames": _("confirm above (frames)"),
              "confirm_cost": _("confirm above (cost)")}
    pairs = []
    for name in _CONFIG_FIELDS:
        value = getattr(values, name)
        if name == "access_key":
            value = (_("(set, not shown; to the OS keyring)") if keyring else _("(set, not shown; in the file)")) \
                if value else _("(none)")
        pairs.append((labels[name], "%s [%s]" % (value, origins.get(name, _("unchanged")))))
    return _("storing in %s:") % config_path() + "\n" + "\n".join("  " + l for l in format_fields(pairs).splitlines())


def cmd_config(args: argparse.Namespace) -> int:
    from renderbus_dcc.config import (ENV_VARS, LIMIT_VARS, config_path, keyring_available, load_config,
                                      normalize_endpoint, parse_limit, save_config)

    if args.action == "show":
        shown = load_config().public_dict()
        shown["file"] = str(config_path())
        _out(to_json(shown) if args.json else format_fields(sorted(shown.items())))
        return 0
    language = None
    if args.language is not None:
        from renderbus_dcc.config import language_value
        from renderbus_dcc.i18n import use_language_setting

        language = language_value(args.language, "--language")
        if all(getattr(args, name, None) is None for name in _CONFIG_FIELDS):
            stored = load_config(environment=False)
            stored.language = language
            path = save_config(stored)  # the language alone: no credentials asked for
            use_language_setting()  # said in the language just chosen
            return _done(args, _("saved to %s") % path, file=str(path))
    stored = load_config(environment=False)  # what the file (and keyring) hold
    given = {name: getattr(args, name, None) for name in _CONFIG_FIELDS}
    interactive = sys.stdin.isatty() and not any(v is not None for v in given.values())
    origins: Dict[str, str] = {name: _("argument") for name, v in given.items() if v is not None}
    if interactive:
        current = load_config()
        typed = input(_("Access id [%s]: ") % current.access_id).strip()
        given["access_id"] = typed or current.access_id
        origins["access_id"] = _("typed") if typed else current.sources.get("access_id", _("unchanged"))
        key = getpass.getpass(_("Access key (not shown): ")).strip()
        if key:
            given["access_key"], origins["access_key"] = key, _("typed")
        elif current.access_key and current.sources.get("access_key", "").startswith("environment"):
            given["access_key"], origins["access_key"] = current.access_key, current.sources["access_key"]
    else:  # a script: nothing is taken from the environment unless it says so
        left_out = []
        for name, env in list(ENV_VARS.items()) + list(LIMIT_VARS.items()):
            if given.get(name) is None and os.environ.get(env):
                if args.from_env:
                    given[name], origins[name] = os.environ[env], _("environment (%s)") % env
                else:
                    left_out.append(env)
        if left_out:
            print(_("not stored, from the environment (pass --from-env to store them): %s") % ", ".join(left_out),
                  file=sys.stderr)
    if given["access_id"] is not None and given["access_id"] != stored.access_id and given["access_key"] is None:
        stored.access_key = ""  # another account: its key must be given
    for name in _CONFIG_FIELDS:
        value = given[name]
        if value is None:
            continue
        if name == "endpoint":
            value = normalize_endpoint(value)
        elif name == "platform":
            value = int(value)
        elif name in ("confirm_frames", "confirm_cost"):
            value = parse_limit(name, value, origins.get(name, ""))
        setattr(stored, name, value)
    if language is not None:
        stored.language = language
    if not stored.has_credentials:
        from renderbus_dcc.errors import ConfigError

        env_has = bool(os.environ.get(ENV_VARS["access_key"])) and not args.from_env
        raise ConfigError(
            _("no access %s given") % (_("id") if not stored.access_id else _("key")),
            _("pass --access-id and --access-key, or --from-env to store RENDERBUS_ACCESS_ID/KEY, or run "
              "`renderbus config` in a terminal to type them") if env_has else
            _("pass --access-id and --access-key, or run `renderbus config` in a terminal to type them"),
        )
    if not interactive and not args.json:
        _out(_config_summary(stored, origins, keyring_available()))
    path = save_config(stored)
    return _done(args, _("saved to %s") % path, file=str(path))


# --- registration -----------------------------------------------------------------------


def register(subparsers: "argparse._SubParsersAction") -> None:
    """Add this group's subcommands."""
    common = argparse.ArgumentParser(add_help=False)
    add_common_arguments(common)

    def add(sub: Any, name: str, handler: Callable[[argparse.Namespace], int], help: str, **kw: Any) -> argparse.ArgumentParser:
        text = _(help)
        parser = sub.add_parser(name, parents=[common], help=text, description=text[:1].upper() + text[1:] + _("."), **kw)
        parser.set_defaults(func=handler)
        return parser

    def ids(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("task_ids", nargs="+", type=int, metavar="TASK_ID")

    p = add(subparsers, "platforms", cmd_platforms, N_("list the platforms (render clusters) of a zone"))
    p.add_argument("--zone", type=int, default=1, help=_("1 China (default), 2 abroad"))
    add(subparsers, "whoami", cmd_whoami, N_("show the account, its balance and prices"))
    p = add(subparsers, "settings", cmd_settings, N_("show the account's settings, or change the task timeout"))
    p.add_argument("--task-over-time", type=int, metavar="HOURS", help=_("set the task timeout in hours"))
    add(subparsers, "software", cmd_software, N_("list the applications the farm renders"))
    p = add(subparsers, "plugins", cmd_plugins, N_("list an application's versions and plugins on the farm"))
    p.add_argument("cg_id", type=parse_cg_id, metavar="CG_ID", help=_("2000/maya, 2001/max, 2007/blender, ..."))

    env = subparsers.add_parser("env", help=_("render environments: list, add, update, delete, default"))
    env_sub = env.add_subparsers(dest="env_command", metavar=_("ACTION"), required=True)
    p = add(env_sub, "list", cmd_env_list, N_("list your render environments for an application"))
    p.add_argument("cg_id", type=parse_cg_id, metavar="CG_ID")
    for name, handler, text in (("add", cmd_env_add, N_("add a render environment")),
                                ("update", cmd_env_update, N_("change a render environment"))):
        p = add(env_sub, name, handler, text)
        p.add_argument("name", help=_("the environment's name"))
        p.add_argument("--cg", type=parse_cg_id, required=True, metavar="CG_ID", help=_("application: 2000/maya, 2001/max, 2007/blender"))
        p.add_argument("--version", required=True, help=_("application version, e.g. 2024"))
        p.add_argument("--cg-name", help=_("application name as the farm spells it (default: looked up)"))
        p.add_argument("--plugin-id", dest="plugin_ids", type=int, action="append", help=_("a plugin version id (repeat)"))
        p.add_argument("--linux", action="store_true", help=_("render on Linux (default Windows)"))
        p.add_argument("--layer-type", type=int, default=0, help=_("Maya render layer type (default 0)"))
        p.add_argument("--project-path", help=_("project path (v2)"))
    for name, handler, text in (("delete", cmd_env_delete, N_("delete a render environment")),
                                ("default", cmd_env_default, N_("make a render environment the default"))):
        add(env_sub, name, handler, text).add_argument("name")

    tasks = subparsers.add_parser("tasks", help=_("your tasks: list, info, frames, stats, stop, start, abort, delete, retries"))
    tasks_sub = tasks.add_subparsers(dest="tasks_command", metavar=_("ACTION"), required=True)
    p = add(tasks_sub, "list", cmd_tasks_list, N_("list your tasks, newest first"))
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--size", type=int, default=20, help=_("tasks per page (default 20)"))
    p.add_argument("--status", type=int, action="append",
                   help=_("only tasks with this status code (repeat): 0 waiting, 5 rendering, 10 stopped, 25 finished, "
                        "30 finished with failed frames, 35 abandoned, 45 failed, 50 analysing"))
    p.add_argument("--search", help=_("search keyword (v2)"))
    ids(add(tasks_sub, "info", cmd_tasks_info, N_("show tasks with their rendering tasks")))
    p = add(tasks_sub, "frames", cmd_tasks_frames, N_("list the frames of a rendering task"))
    p.add_argument("task_id", type=int, metavar="TASK_ID")
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--size", type=int, default=100, help=_("frames per page (default 100)"))
    p.add_argument("--search", help=_("search keyword"))
    add(tasks_sub, "stats", cmd_tasks_stats, N_("frame counts over all your tasks"))
    for name, method, done, text in (
        ("stop", "stop_task", N_("stopped %s"), N_("stop tasks")),
        ("start", "start_task", N_("started %s"), N_("start stopped tasks again")),
        ("abort", "abort_task", N_("abandoned %s"), N_("abandon tasks (final)")),
        ("delete", "delete_task", N_("deleted %s"), N_("delete tasks")),
        ("retry-failed", "restart_failed_frames", N_("rendering the failed frames again of %s"),
         N_("render tasks' failed frames again")),
    ):
        ids(add(tasks_sub, name, _task_action(method, done), text))
    p = add(tasks_sub, "retry-frames", cmd_tasks_retry_frames, N_("render frames of a task again"))
    p.add_argument("task_id", type=int, metavar="TASK_ID")
    p.add_argument("frame_ids", nargs="*", type=int, metavar="FRAME_ID", help=_("frame ids from `tasks frames`"))
    p.add_argument("--all", action="store_true", help=_("every frame of the task"))

    labels = subparsers.add_parser("labels", help=_("labels (project names) for tasks: list, add, delete"))
    labels_sub = labels.add_subparsers(dest="labels_command", metavar=_("ACTION"), required=True)
    add(labels_sub, "list", cmd_labels_list, N_("list your labels"))
    add(labels_sub, "add", cmd_labels_add, N_("add a label")).add_argument("name")
    add(labels_sub, "delete", cmd_labels_delete, N_("delete a label")).add_argument("name")

    p = add(subparsers, "error-detail", cmd_error_detail, N_("explain an analysis error code"))
    p.add_argument("code", metavar="CODE")
    p.add_argument("--english", action="store_true",
                   help=_("the English description (default: in the language renderbus speaks)"))
    p = add(subparsers, "progress", cmd_progress, N_("show the progress image blocks of a rendering task"))
    p.add_argument("task_id", type=int, metavar="TASK_ID")
    p.add_argument("--frame-type", type=int, help=_("2 photon frames, 5 main frames (default: the current stage)"))
    add(subparsers, "bid", cmd_bid, N_("show the transfer ids (config, input, output)"))

    p = add(subparsers, "config", cmd_config, N_("store your access id and key (asked for when not given), or show the settings"))
    p.add_argument("action", nargs="?", choices=("set", "show"), default="set", help=_("set (default) or show"))
    p.add_argument("--access-id", help=_("the access id"))
    p.add_argument("--access-key", help=_("the access key (better: leave it out and type it when asked)"))
    p.add_argument("--language", metavar="LANG",
                   help=_("the language renderbus speaks: zh_CN (简体中文), en (English) or auto (the application's, "
                          "else the system's)"))
    p.add_argument("--confirm-frames", type=int, metavar="N",
                   help=_("ask before a submission that renders more than N frames (0: never ask)"))
    p.add_argument("--confirm-cost", type=float, metavar="X",
                   help=_("ask before a submission forecast to cost more than X (0: never ask)"))
    p.add_argument("--from-env", action="store_true",
                   help=_("without a terminal: also store the values (the access key included) taken from the "
                          "RENDERBUS_* environment variables"))
