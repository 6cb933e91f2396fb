"""Consent per purpose, owned here alone: the ``Consent`` record, the purposes and their
text versions, recording a decision and reading what is in force. Profiles and accounts
call into this app; it imports neither of them."""
