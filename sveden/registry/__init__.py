"""The registry: `schools.yaml` read into typed models, with located errors."""

from sveden.registry.loader import RegistryError, RegistryProblem, load_registry
from sveden.registry.models import SCHOOL_KINDS, Municipality, Region, Registry, School, SchoolKind

__all__ = [
    "SCHOOL_KINDS",
    "Municipality",
    "Region",
    "Registry",
    "RegistryError",
    "RegistryProblem",
    "School",
    "SchoolKind",
    "load_registry",
]
