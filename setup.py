"""renderbus_dcc: a Renderbus cloud render farm integration for Maya, 3ds Max and Blender."""

import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
VERSION = re.search(r'__version__ = "([^"]+)"', (HERE / "renderbus_dcc" / "__init__.py").read_text()).group(1)

setup(
    name="renderbus_dcc",
    version=VERSION,
    description="Submit Maya, 3ds Max and Blender scenes to the Renderbus render farm and watch them render.",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="MIT",
    python_requires=">=3.9",
    # The core, and the three host layers, which live beside it in maya/, max/ and blender/
    # and are installed too, so that `renderbus install maya|max|blender` can put them in place.
    packages=(
        find_packages(include=["renderbus_dcc", "renderbus_dcc.*"])
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
        "renderbus_dcc.examples": ["*/*", "*/*/*", "*/*/*/*", "*/*/*/*/*"],
    },
    install_requires=["requests>=2.25"],
    extras_require={
        "qt": ["Qt.py>=1.3"],
        "keyring": ["keyring>=23"],
    },
    entry_points={"console_scripts": ["renderbus = renderbus_dcc.cli:main"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.9",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Topic :: Multimedia :: Graphics :: 3D Rendering",
    ],
)
