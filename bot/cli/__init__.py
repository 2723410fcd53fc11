"""Command lines run by an operator on the server (they reach the records database directly)."""
