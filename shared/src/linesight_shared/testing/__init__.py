"""Test helpers and pytest fixtures shared by every service's tests (a pytest plugin).

Integration fixtures make their own PostgreSQL database, RabbitMQ vhost and S3 bucket with
unique names and remove them afterwards. When a server is missing they skip locally and
fail under CI (``CI=true``).
"""
