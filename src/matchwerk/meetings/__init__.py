"""1:1 meetings at events (brokerage days): settings, requests, the meeting plan with
versions, the personal agenda and feedback after each meeting (issue #10)."""
