"""JSON Schemas shipped with gklint."""
