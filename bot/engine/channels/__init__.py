"""Chat channel connectors that run inside the Rasa engine (Slack, Microsoft Teams).

`slack.SlackInput` and `teams.TeamsInput` are Rasa InputChannel classes named in credentials.yml.
They may import only what the engine environment has (sanic, aiohttp, PyJWT, cryptography) and the
stdlib; `render` and `dedupe` are plain Python so they can be tested anywhere. Keep this file
import-free: Rasa imports the package while loading credentials.yml.
"""
