"""Commands of the staff context: teachers, assignments, mentorships."""
