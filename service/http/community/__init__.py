"""Routes of the community context: schools, communities, their actions."""
