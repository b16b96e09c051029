"""What differs between the Home Assistant versions OS1 supports (2026.3 and later).

OS1 is type-checked once per supported version; mypy's `--always-true` /
`--always-false PROBATIO` picks the branch each version has, so each branch is
checked against the Home Assistant it is for.
"""

from __future__ import annotations

from importlib.util import find_spec

PROBATIO = find_spec("probatio") is not None
"""Home Assistant 2026.9 and later validate with probatio, voluptuous's
successor, and their APIs expect its schemas (at run time `import voluptuous`
gives probatio there too)."""

if PROBATIO:
    import probatio as vol
else:
    import voluptuous as vol

__all__ = ["vol"]
