import sys

from matchwerk.cli import main

sys.exit(main())
