"""The insights knobs. Read at call time, so tests and deployments can set them in settings or
in the environment (``KESU_INSIGHTS_*``) without touching ``kesu/settings.py``."""

from pathlib import Path

from django.conf import settings

from kesu.core.env import env_int, env_str


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, env_int(name, default)))


def link_window_days() -> int:
    """Complaints of the same vehicle, customer or fault area within this many days are linked."""
    return _int("KESU_INSIGHTS_LINK_WINDOW_DAYS", 90)


def duplicate_window_days() -> int:
    """Near-duplicate texts are looked for among complaints of the last this many days."""
    return _int("KESU_INSIGHTS_DUPLICATE_WINDOW_DAYS", 30)


def duplicate_min_dealers() -> int:
    """A quality signal is raised when near-duplicates come from at least this many dealers."""
    return _int("KESU_INSIGHTS_DUPLICATE_MIN_DEALERS", 2)


def duplicate_threshold_percent() -> int:
    """Bigram Jaccard similarity (in percent) from which two texts are near-duplicates."""
    return _int("KESU_INSIGHTS_DUPLICATE_JACCARD_PERCENT", 50)


def min_training_examples() -> int:
    return _int("KESU_INSIGHTS_MIN_TRAINING_EXAMPLES", 30)


def models_dir() -> Path:
    """Trained models, one folder per organisation: under KESU_DATA_DIR, never in the repo."""
    default = str(Path(settings.DATA_DIR) / "insights" / "models")
    return Path(getattr(settings, "KESU_INSIGHTS_MODELS_DIR", env_str("KESU_INSIGHTS_MODELS_DIR", default)))
