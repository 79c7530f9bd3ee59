"""Where a roadmap activity stands on a given day (the day is passed in; nothing here reads a clock)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sveden.indicators.models import Activity

__all__ = ["ActivityStatus", "activity_status"]

ActivityStatus = Literal["done", "in_progress", "overdue", "planned", "no_deadline"]


def activity_status(activity: Activity, today: dt.date) -> ActivityStatus:
    """Status of `activity` on `today`.

    done — a completion is reported (`done` with evidence); overdue — the deadline has passed and
    no completion is reported; in_progress — today is within the stated period (or before the
    deadline of a measure without a start); planned — the period has not started; no_deadline —
    the document gives no date.
    """
    if activity.done is not None:
        return "done"
    if activity.due is None:
        return "no_deadline"
    if today > dt.date.fromisoformat(activity.due):
        return "overdue"
    if activity.starts is not None and today < dt.date.fromisoformat(activity.starts):
        return "planned"
    return "in_progress"
