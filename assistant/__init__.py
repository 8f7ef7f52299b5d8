"""Clerk's assistant: retrieval, cited answers and the command line."""
