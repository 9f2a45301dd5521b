"""cp-audit: multi-agency child protection case audits from exported case records."""

__version__ = "0.1.0"
