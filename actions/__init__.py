"""Rasa custom actions: thin adapters from Rasa's tracker to bot/flows (one unit of work per turn) and back.

Nothing is loaded at import time: the catalogue is built on first use (bot.records.catalogue).
"""
