"""Reading input files into raw case records: one reader per format."""
