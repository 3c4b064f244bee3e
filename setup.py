"""renderbus_dcc: a Renderbus cloud render farm integration for Maya, 3ds Max and Blender."""

import re
from pathlib import Path

from setuptools import find_namespace_packages, find_packages, setup
from setuptools.command.build_py import build_py

# Files of the host folders that sit outside their Python packages, and where a built package
# carries them, so that `renderbus install maya|max` works from a wheel as from a checkout.
HOST_FILES = {  # source in the checkout -> destination in the built packages
    "maya/install.mel": "renderbus_maya/_module/install.mel",
    "maya/icons/renderbus.png": "renderbus_maya/_module/icons/renderbus.png",
    "maya/scripts/userSetup.py": "renderbus_maya/_module/scripts/userSetup.py",
    "max/startup/renderbus_startup.ms": "renderbus_max/_startup/renderbus_startup.ms",
}


class BuildWithHostFiles(build_py):
    """build_py that also copies HOST_FILES into the built packages."""

    def run(self) -> None:
        super().run()
        for source, target in HOST_FILES.items():
            destination = Path(self.build_lib) / target
            self.mkpath(str(destination.parent))
            self.copy_file(str(HERE / source), str(destination))

HERE = Path(__file__).parent
#: The core and its data folders (the example scenes' project folders, the message catalogs),
#: listed as the namespace packages setuptools sees in them so that it carries their files without
#: a "Package would be ignored" warning for each folder.
CORE = find_namespace_packages(include=["renderbus_dcc", "renderbus_dcc.*"], exclude=["*.__pycache__"])
VERSION = re.search(r'__version__ = "([^"]+)"', (HERE / "renderbus_dcc" / "__init__.py").read_text()).group(1)

setup(
    name="renderbus_dcc",
    version=VERSION,
    description="Submit Maya, 3ds Max and Blender scenes to the Renderbus render farm and watch them render.",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="MIT",
    # The core runs where the hosts' Pythons are: 3.7 (Maya/3ds Max 2022) to 3.13; the suite runs there.
    python_requires=">=3.7",
    # The core, and the three host layers, which live beside it in maya/, max/ and blender/
    # and are installed too, so that `renderbus install maya|max|blender` can put them in place.
    packages=(
        CORE
        + find_packages("maya/scripts", include=["renderbus_maya", "renderbus_maya.*"])
        + find_packages("max/scripts", include=["renderbus_max", "renderbus_max.*"])
        + find_packages("blender", include=["renderbus_blender", "renderbus_blender.*"])
    ),
    package_dir={
        "renderbus_maya": "maya/scripts/renderbus_maya",
        "renderbus_max": "max/scripts/renderbus_max",
        "renderbus_blender": "blender/renderbus_blender",
    },
    include_package_data=True,
    package_data={
        "": ["*.json", "*.png", "*.txt", "*.mel", "*.mod", "*.ms", "*.mcr", "*.toml", "*.exr", "*.jpg", "*.tx"],
        # The example scenes' project folders (renderbus demo): every file, at any depth.
        **{name: ["*"] for name in CORE if name.startswith("renderbus_dcc.examples.")},
        # The message catalogs: the compiled .mo the package reads, and the .po source.
        "renderbus_dcc.locale.zh_CN.LC_MESSAGES": ["*.mo", "*.po"],
        # What each Maya / 3ds Max version's Python gets (renderbus install maya|max), offline.
        "renderbus_dcc.install": ["wheels/*.whl", "wheels/lock.json"],
    },
    install_requires=["requests>=2.25"],
    extras_require={
        # The Qt windows outside Maya and 3ds Max (`renderbus monitor`, the preview): Qt.py and a
        # binding. Inside a host they use the host's own binding: never install this extra there.
        # Qt.py 2 knows PySide6 (Maya and 3ds Max 2025+); 1.x does not.
        "qt": ["Qt.py>=2", "PySide6-Essentials>=6.5"],
        "keyring": ["keyring>=23"],
        # The local farm (`renderbus farm serve`, the demo, the tests): its HTTP server.
        "farm": ['waitress>=2.1.2,<3; python_version < "3.8"', 'waitress>=3.0.2; python_version >= "3.8"'],
    },
    cmdclass={"build_py": BuildWithHostFiles},
    entry_points={"console_scripts": ["renderbus = renderbus_dcc.cli:main"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.7",
        "Programming Language :: Python :: 3.9",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.13",
        "Topic :: Multimedia :: Graphics :: 3D Rendering",
    ],
)
