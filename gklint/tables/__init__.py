"""Report tables (contract section 7)."""
