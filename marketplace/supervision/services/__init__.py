"""The business rules of supervision: every state change happens here, in one transaction."""
