"""Measurement: metrics of publications, KPIs per campaign objective, reports, and the
barometer of authorities."""
