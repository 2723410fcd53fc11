"""Rasa custom actions: thin adapters from Rasa's tracker to bot/ (conversation logic) and back."""
