"""ЦОС indicators: the catalogue, department tables, progress against plan, and what the audit measures."""
