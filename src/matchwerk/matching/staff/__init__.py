"""The matching app's back office pages: the review queue and its decisions."""
