"""Clients, consent and the closed-loop referral lifecycle (issue 6)."""
