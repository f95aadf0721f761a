"""Participation: consultations that collect contributions everywhere, group them into
themes, let citizens vote on statements, find opinion groups, and report."""
