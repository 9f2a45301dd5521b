"""The audit run: units of work, the workers, the spool of prepared report parts."""
