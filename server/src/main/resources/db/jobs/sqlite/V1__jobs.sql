-- The job store as the first releases made it by hand; a file they made is baselined at this version.
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  idempotency_key TEXT UNIQUE,
  fingerprint TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT
);
CREATE INDEX jobs_due ON jobs (status, next_attempt_at);
