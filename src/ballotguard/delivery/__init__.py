"""Delivery adapters: e-mail over SMTP and signed webhooks; they send what the outbox holds."""
