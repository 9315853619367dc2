"""Performance benchmark: data generator, load scenarios, search verification (see README.md)."""
