"""Renderers print audits; they never filter, sort or decide the exit status."""
