"""Views of the staff context: teachers, assignments, mentorships."""
