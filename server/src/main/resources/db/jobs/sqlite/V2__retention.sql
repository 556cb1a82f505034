-- Finished jobs are deleted after --job-retention, oldest first, without scanning the queue.
CREATE INDEX jobs_finished ON jobs (updated_at) WHERE status IN ('sent', 'failed');
