"""checks: the rulebook and the audit of a site snapshot (pure functions, no network, no clock)."""

from checks.audit import AuditSubject, audit_site
from checks.results import AuditedSchool, Results
from checks.rulebook import Rule, Rulebook, RulebookError, load_rulebook

__all__ = [
    "AuditSubject",
    "AuditedSchool",
    "Results",
    "Rule",
    "Rulebook",
    "RulebookError",
    "audit_site",
    "load_rulebook",
]
