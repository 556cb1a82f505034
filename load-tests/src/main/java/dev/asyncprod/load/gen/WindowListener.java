package dev.asyncprod.load.gen;

/**
 * Told when the measured window opens (the warm-up is over) and when it closes (nothing more is
 * sent or recorded), on the generator's reporter thread, so that what is read about the server
 * around a run (its CPU time, its context switches) covers the requests the run counts, no more.
 * Each is called once; keep them short, since the reporter's one-second ticks wait for them.
 */
public interface WindowListener {

    WindowListener NONE = new WindowListener() {
        @Override
        public void opened() {
        }

        @Override
        public void closed() {
        }
    };

    void opened();

    void closed();
}
