"""The case: its values and model (one field list), merging records into it, error messages."""
