-- Tenant secrets and webhook endpoints' signing secrets are stored sealed (AES-256-GCM under
-- PARLEY_SECRETS_KEY, `parley-sealed:v1:…`; server/src/tenants/secret-cipher.ts), never plain.
-- Values stored before this migration are plain: the server seals them when it opens the
-- database, right after migrating. NOT VALID leaves those rows to it and holds every row written
-- or changed from now on to the sealed form, so a plain value cannot be stored by mistake.
ALTER TABLE secrets
  ADD CONSTRAINT secrets_value_sealed CHECK (value LIKE 'parley-sealed:%') NOT VALID;
ALTER TABLE webhook_endpoints
  ADD CONSTRAINT webhook_endpoints_secret_sealed CHECK (secret LIKE 'parley-sealed:%') NOT VALID;
