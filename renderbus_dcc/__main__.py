"""``python -m renderbus_dcc``: the ``renderbus`` command."""

import sys

from renderbus_dcc.cli import main

if __name__ == "__main__":
    sys.exit(main())
