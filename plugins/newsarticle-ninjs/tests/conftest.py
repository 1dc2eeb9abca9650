"""The Hypothesis profiles, as in newsarticle's own tests (README, "Tests").

``dev`` (a quick look, the default) or ``ci`` (thorough; chosen when ``CI`` is
set), or any profile named by ``HYPOTHESIS_PROFILE``.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("dev", max_examples=25)
settings.register_profile("ci", max_examples=300, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
