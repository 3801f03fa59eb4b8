"""Quality tests (教学质量检测): sittings, their results and analyses."""
