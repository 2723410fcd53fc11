"""python -m bot admin ...: the administration command line (bot/cli/admin.py)."""
import sys

from bot.cli.admin import main

if len(sys.argv) < 2 or sys.argv[1] != "admin":
    print("usage: python -m bot admin <command> ...  (python -m bot admin --help lists the commands)",
          file=sys.stderr)
    sys.exit(2)
sys.exit(main(sys.argv[2:]))
