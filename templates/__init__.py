"""jinja2 templates for reports (installed as gdgrade.templates)."""
