"""The professional discussion as a conversation: reading assessor messages (commands.py),
suggesting questions (questions.py), replies (render.py) and the turn interpreter (turns.py)."""
