"""ЦОС indicators: the catalogue, department tables, progress against plan, and what the audit measures."""

__all__: list[str] = []
