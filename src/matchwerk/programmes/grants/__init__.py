"""Grants of a programme's matches: application with a cost plan, approval within the
programme's budget (row lock), payments, proof of use with receipts."""
