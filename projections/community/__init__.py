"""Read models of the community context: schools, communities and their rosters, actions."""
