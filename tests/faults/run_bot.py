"""``main.py run`` with the dispatcher's lease and backoff shortened, for the fault tests.

``bot/delivery/dispatcher.py`` reads ``LEASE`` and ``BACKOFF_BASE_SECONDS`` from its module when it
claims a row or schedules a retry; they are not configuration, so the tests set them here
(``FAULTS_LEASE_SECONDS``, ``FAULTS_BACKOFF_BASE_SECONDS``) instead of waiting two minutes
for the rows a killed bot had claimed. Everything else is the real ``main.main``.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.delivery import dispatcher  # noqa: E402

if "FAULTS_LEASE_SECONDS" in os.environ:
    dispatcher.LEASE = timedelta(seconds=float(os.environ["FAULTS_LEASE_SECONDS"]))
if "FAULTS_BACKOFF_BASE_SECONDS" in os.environ:
    dispatcher.BACKOFF_BASE_SECONDS = float(os.environ["FAULTS_BACKOFF_BASE_SECONDS"])

import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main.main(sys.argv[1:]))
