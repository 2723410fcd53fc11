"""Use cases: each function runs one unit of work (a chat turn or an API request) in one transaction:
who is asking (records.people), what they may do (records), what to say (domain)."""
