"""`python -m bot.engine run ...`: Rasa's own command with the fixes of patches.py applied first."""
from bot.engine.patches import main

main()
