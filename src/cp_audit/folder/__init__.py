"""The audit folder: its cp-audit.yaml, and the files `cp-audit init` writes."""
