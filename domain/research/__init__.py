"""Research (教科研): projects (课题) and papers (论文)."""
