"""jirasim: a faithful, stateful, standard-library-only Jira REST API test double.

Run it with ``PYTHONPATH=tests python -m jirasim --port 0`` or, in-process,
``from jirasim.server import start_server``.  See README.md for the seeded
users, the endpoints and the ``/_jirasim/`` control API.
"""

from jirasim.seed import CLOUD_FRED_TOKEN, FRED_PAT

__all__ = ["CLOUD_FRED_TOKEN", "FRED_PAT", "__version__"]
__version__ = "1.0.0"
