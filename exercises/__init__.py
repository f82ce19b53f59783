"""Exercise data: statements, starter files and public cases (installed as gdgrade.exercises)."""
