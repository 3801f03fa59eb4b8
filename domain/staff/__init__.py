"""The staff context: teachers (教师), staff assignments (支教/跟岗/跟班/互派) and mentorships."""
