"""Rasa custom actions: thin adapters from Rasa's tracker to bot/ (conversation logic) and back."""
from catalogue import load_catalogue

# Build the catalogue while the action server starts, not on the first learner's question.
load_catalogue()
