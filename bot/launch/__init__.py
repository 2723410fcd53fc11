"""Starting, watching and stopping the processes (`python -m bot.launch.stack run`). Standard library only:
this runs before anything else is known to work."""
