"""Similar code across a class: per-exercise units, normalised tokens, winnowed fingerprints,
pairs above a threshold and clusters. Reads source text only; nothing here runs student code.
"""
