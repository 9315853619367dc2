"""Running kesu: ``python -m kesu serve`` (web app + worker) and ``python -m kesu tick`` (queues
the periodic tasks of every app). At the top of the project, beside ``kesu/api.py``."""
