"""Whether to ask a host again, and after how long: exponential backoff with full jitter.

A ``Retry-After`` header (seconds or an HTTP date) on 429 and 503 answers wins over the
backoff, up to the policy's cap; a longer one is not waited for. The wait itself is done by
`crawler.politeness`, which holds back the whole host, since a throttling server is throttling
everyone.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import random

from crawler.settings import RetryPolicy

__all__ = ["parse_retry_after", "retry_delay"]


def parse_retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` value, or None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


def retry_delay(
    policy: RetryPolicy,
    attempt: int,
    *,
    status: int | None = None,
    fault: str | None = None,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float | None:
    """Seconds to wait before retry number `attempt` + 1, or None to stop and keep the answer.

    `attempt` counts the retries already made (0 after the first request).
    """
    retryable = (status is not None and status in policy.statuses) or (
        fault is not None and fault in policy.faults
    )
    if not retryable or attempt >= policy.max_retries:
        return None
    if retry_after is not None:
        return retry_after if retry_after <= policy.max_retry_after else None
    ceiling = min(policy.backoff_cap, policy.backoff_base * 2**attempt)
    return (rng or random).uniform(0.0, ceiling)
