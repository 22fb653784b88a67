"""Figures for the department and the grievance committee, computed in the database."""
