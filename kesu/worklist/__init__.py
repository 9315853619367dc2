"""The agent's day: one table of work items (follow-ups, care calls, confirmations, callbacks) that
every app writes through items.py, read as one worklist."""
