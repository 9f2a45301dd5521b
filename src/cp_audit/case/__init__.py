"""The case: its model (one field list), merging records into it, error messages."""
