"""``python -m wirestream.pipelines.cli``: the ``wirestream`` command."""

import sys

from wirestream.pipelines.cli import main

sys.exit(main())
