"""The ids the examples share, so that one example's school is another's host."""

from __future__ import annotations

from uuid import UUID

COUNTY = UUID("6d1f3a52-9c0e-4b7a-8e21-5f4c3b2a1d09")
LEAD = UUID("3f6a2c1e-8b4d-4e7a-9c2f-1a5b7d9e0c3a")
MEMBER = UUID("a81c4e2f-5d3b-4f6a-b7c9-0e2d4f6a8b1c")
SECOND_MEMBER = UUID("c4e7b1d0-2a9f-4c3e-8d5b-6f1a0e9c7b24")
COMMUNITY = UUID("5b2d8f14-7e6a-4c1b-9f30-8a4e2c6d1b7f")
ACTIVITY = UUID("e3a9c5f1-0b7d-4e2a-86c4-9d1f3b5a7e20")
TOKEN = UUID("1c7e9a3b-4f2d-4b8e-a6c1-3e5f7a9b2d4c")
ADMIN_TOKEN = UUID("9a2b4c6d-8e0f-4a1b-b3c5-d7e9f1a3b5c7")
PROJECT = UUID("7a1c3e5b-9d2f-4b6a-8c0e-1f3a5c7e9b2d")
PAPER = UUID("2e4a6c8b-0d1f-4a3c-9e5b-7d9f1b3d5a7c")
SITTING = UUID("8b0d2f4a-6c8e-4e1a-a3c5-e7a9c1e3f5b8")
ENTRY = UUID("4c6e8a0b-2d4f-4b6c-8e0a-3b5d7f9a1c3e")
COMMENDATION = UUID("d5f7b9a1-3c5e-4d7f-9b1d-5e7a9c1b3d5f")
TEACHER = UUID("f1a3c5e7-9b2d-4f6a-8c1e-7b9d2f4a6c8e")
LINK = UUID("b2d4f6a8-1c3e-4a5b-9d7f-0e2c4a6b8d1f")
STUDIO = UUID("c3e5a7b9-2d4f-4c6e-8a0b-4d6f8b0c2e4a")
ASSIGNMENT = UUID("e4a6c8d0-3f5b-4d7e-9b1c-5e7a9c1d3f5b")
MENTORSHIP = UUID("a5b7d9f1-4e6c-4f8a-8c2d-6f8b0d2e4a6c")
APPRENTICE = UUID("b6c8e0a2-5f7d-4a9b-9d3e-7a9c1e3f5b7d")
ASSESSMENT_ID = UUID("d7e9f1b3-6a8c-4e0d-8f2a-9b1d3f5a7c9e")
