"""Across reports: the --db store of audited reports, and the checks that compare reports kept in it."""
