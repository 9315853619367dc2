"""Exports: any queue or list as XLSX or CSV, streamed, masked by role, every export logged."""
