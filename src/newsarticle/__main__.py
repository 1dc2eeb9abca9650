"""``python -m newsarticle``: the same command as ``newsarticle``."""

from newsarticle._cli import main

raise SystemExit(main())
