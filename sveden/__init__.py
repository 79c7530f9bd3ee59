"""sveden: audits schools' «Сведения об образовательной организации» and publishes ЦОС progress."""

__all__ = ["__version__"]
__version__ = "0.1.0"
