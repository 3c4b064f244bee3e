"""The support matrix: which Maya and 3ds Max versions the integration installs into, and what
each runs (its Python and its Qt binding). One table, read by the installers, the README's
support section and the test harness (tests/hosts) that replays each version's start-up.

- Maya 2022-2024 and 3ds Max 2022-2024: Python 3.7 / 3.9 / 3.10, PySide2 (Qt 5.15).
- Maya and 3ds Max 2025-2027: Python 3.11, PySide6 (Qt 6.5). A release that moves to another
  Python (3.13 is announced for some) changes its row here, nothing else.
- Earlier versions run Python 2.7 (Maya 2022 too when started with ``-pythonver 2``): never
  installed into; :func:`python2_message` says why and what to use instead.
- A version newer than the table is taken to run what the newest row runs (a new release keeps
  its predecessor's Python more often than not); the installer says so.
"""

from typing import NamedTuple, Tuple

from renderbus_dcc.errors import InstallError
from renderbus_dcc.i18n import _

__all__ = ["HostVersion", "SUPPORTED", "FIRST_PYTHON3_YEAR", "HOST_NAMES", "host_version", "versions_of",
           "python2_message", "is_python2"]


class HostVersion(NamedTuple):
    """One supported host version and what it runs."""

    host: str  #: "maya" or "max"
    year: int
    python: str  #: "3.7": the minor version of the Python it embeds
    binding: str  #: the Qt binding it ships: "PySide2" or "PySide6"
    qt: str  #: the Qt version of that binding, "5.15" or "6.5"

    @property
    def label(self) -> str:
        """"Maya 2024", "3ds Max 2025"."""
        return "%s %d" % (HOST_NAMES[self.host], self.year)

    @property
    def key(self) -> str:
        """"maya-2024": the name of its test job and of its folders."""
        return "%s-%d" % (self.host, self.year)


HOST_NAMES = {"maya": "Maya", "max": "3ds Max"}

SUPPORTED: Tuple[HostVersion, ...] = (
    HostVersion("maya", 2022, "3.7", "PySide2", "5.15"),
    HostVersion("maya", 2023, "3.9", "PySide2", "5.15"),
    HostVersion("maya", 2024, "3.10", "PySide2", "5.15"),
    HostVersion("maya", 2025, "3.11", "PySide6", "6.5"),
    HostVersion("maya", 2026, "3.11", "PySide6", "6.5"),
    HostVersion("maya", 2027, "3.11", "PySide6", "6.5"),
    HostVersion("max", 2022, "3.7", "PySide2", "5.15"),
    HostVersion("max", 2023, "3.9", "PySide2", "5.15"),
    HostVersion("max", 2024, "3.10", "PySide2", "5.15"),
    HostVersion("max", 2025, "3.11", "PySide6", "6.5"),
    HostVersion("max", 2026, "3.11", "PySide6", "6.5"),
    HostVersion("max", 2027, "3.11", "PySide6", "6.5"),
)

#: The first version of each host that runs Python 3 (earlier ones run Python 2.7 only).
FIRST_PYTHON3_YEAR = {"maya": 2022, "max": 2022}


def versions_of(host: str) -> Tuple[HostVersion, ...]:
    """The supported versions of ``host``, oldest first."""
    return tuple(v for v in SUPPORTED if v.host == host)


def is_python2(host: str, year: int) -> bool:
    """True for a version that runs Python 2.7 only."""
    return year < FIRST_PYTHON3_YEAR[host]


def python2_message(host: str, year: int) -> str:
    """The one line an installer prints when it skips a Python 2 version."""
    return _("%(app)s %(year)d skipped: it runs Python 2.7, which Renderbus cannot run in; "
             "use %(app)s %(first)d or later.") % {
        "app": HOST_NAMES[host], "year": year, "first": FIRST_PYTHON3_YEAR[host]}


def host_version(host: str, year: int) -> HostVersion:
    """What ``host`` ``year`` runs. Python 2 versions raise InstallError (see python2_message);
    a version newer than the table gets the newest row's Python and binding."""
    if is_python2(host, year):
        raise InstallError(python2_message(host, year))
    known = versions_of(host)
    for version in known:
        if version.year == year:
            return version
    newest = known[-1]
    return newest._replace(year=year)
