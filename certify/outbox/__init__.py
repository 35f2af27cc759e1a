"""The transactional outbox: e-mails queued in the same transaction as the change they announce."""
