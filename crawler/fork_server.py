"""What the crawl's fork server sets up before it forks any worker (`crawler.worker_pool`).

A worker runs the parent's main module again before its first request, as "spawn" does. When
the parent was started with ``-m``, the fork server has already imported that module by name
(so that its imports are done once for all workers), and runpy warns in every worker that it
finds the module imported. It is, on purpose: the warning is silenced here, in the fork server
only, which the workers inherit.
"""

from __future__ import annotations

import warnings

warnings.filterwarnings(
    "ignore",
    message=r"'[\w.]+' found in sys\.modules after import of package",
    category=RuntimeWarning,
    module="runpy",
)
