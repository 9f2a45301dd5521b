"""The standards: the rule set format, its examples, the working-day calendar."""
