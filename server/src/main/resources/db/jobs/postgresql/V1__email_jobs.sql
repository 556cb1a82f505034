-- The email job queue every replica shares. Times are epoch milliseconds, as in the SQLite store.
CREATE TABLE email_jobs (
  id uuid PRIMARY KEY,
  -- Unique across replicas: the database, not a replica's memory, decides whether a key was seen.
  idempotency_key text UNIQUE,
  fingerprint text NOT NULL,
  recipient text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
  attempts integer NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  next_attempt_at bigint NOT NULL,
  last_error text,
  -- While sending: which replica holds the job, and until when; past lease_until any replica may take it.
  claimed_by text,
  lease_until bigint
);
CREATE INDEX email_jobs_due ON email_jobs (next_attempt_at) WHERE status = 'queued';
CREATE INDEX email_jobs_leased ON email_jobs (lease_until) WHERE status = 'sending';
CREATE INDEX email_jobs_finished ON email_jobs (updated_at) WHERE status IN ('sent', 'failed');
CREATE INDEX email_jobs_status ON email_jobs (status);
