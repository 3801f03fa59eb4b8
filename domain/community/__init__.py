"""The community context: schools (学校), education communities (教共体) and their actions."""
