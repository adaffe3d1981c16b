"""tthc-audit: audits the figures in Vietnamese reports on administrative procedures (TTHC)."""

__version__ = "0.1.0"
