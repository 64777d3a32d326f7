"""The one place that reads the environment (application modules never read ``os.environ``)."""

from pathlib import Path

import environ

PACKAGE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# A .env file in the folder OpenComplaints is started from, if there is one (see .env.example).
if (Path.cwd() / ".env").is_file():
    environ.Env.read_env(Path.cwd() / ".env")


def data_dir() -> Path:
    """The folder holding the SQLite database, uploaded documents and the local secret key.

    Defaults to ``./data`` in the folder OpenComplaints is started from, so a new user can see (and back up) it.
    """
    path = Path(env.str("OPENCOMPLAINTS_DATA_DIR", default=str(Path.cwd() / "data"))).expanduser().resolve()
    return path
