"""Read models of the staff context: teachers, assignments, mentorships."""
