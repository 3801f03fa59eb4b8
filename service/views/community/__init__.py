"""Answers of the community context: schools, communities, actions, their counts."""
