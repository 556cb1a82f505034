package dev.asyncprod.server.tasks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The tasks in flight. A request's root is registered and finished on its connection's event
 * loop, once each per request, while the set is read a few times a second (the view, the
 * watchdog, the sweep). A concurrent set made each request pay for a bin lock on removal and an
 * identity hash: the most expensive step of the task view on {@code /hello}. So each event loop
 * keeps the roots it registers in a list of its own ({@link LoopList}), written by that loop only,
 * with plain stores; everything else (children, background roots, a root finished off its loop)
 * goes in one concurrent set.
 */
final class LiveTasks {

    private final Set<Task> shared = ConcurrentHashMap.newKeySet();
    private final List<LoopList> loops = new CopyOnWriteArrayList<>();
    private final ThreadLocal<LoopList> mine = ThreadLocal.withInitial(this::listFor);

    private LoopList listFor() {
        Thread me = Thread.currentThread();
        if (!TaskThreads.isEventLoop(me)) {
            return LoopList.NONE;
        }
        LoopList list = new LoopList(me);
        loops.add(list);
        return list;
    }

    /** A root: in its event loop's list when registered on one, else in the shared set. */
    void addRoot(Task root) {
        // A virtual thread is never a loop; asking its thread locals would give each one a map.
        LoopList list = Thread.currentThread().isVirtual() ? LoopList.NONE : mine.get();
        if (list == LoopList.NONE) {
            shared.add(root);
        } else {
            list.add(root);
        }
    }

    void add(Task child) {
        shared.add(child);
    }

    void remove(Task task) {
        LoopList list = task.liveOn;
        if (list == null) {
            shared.remove(task);
        } else if (list.owner == Thread.currentThread()) {
            list.remove(task);
        } else {
            list.finishedElsewhere = true; // it stays linked, done, until its loop unlinks it
        }
    }

    /** The tasks not done, in no order; a copy. */
    List<Task> snapshot() {
        List<Task> out = new ArrayList<>();
        for (Task t : shared) {
            out.add(t);
        }
        for (LoopList list : loops) {
            list.copyInto(out);
        }
        out.removeIf(t -> t.state == TaskState.DONE);
        return out;
    }

    int size() {
        int n = shared.size();
        for (LoopList list : loops) {
            n += list.size();
        }
        return n;
    }

    /**
     * One event loop's roots, newest first, linked through the tasks themselves. Only its loop
     * writes it; a reader copies it between two readings of {@code seq} (odd while the loop writes)
     * and tries again if they differ. A task's {@code liveNext} only ever points to an older task or
     * is null, so even a copy read mid-write ends; the count check throws such a copy away.
     */
    static final class LoopList {

        static final LoopList NONE = new LoopList(null);
        private static final VarHandle SEQ;
        private static final VarHandle SIZE;

        static {
            try {
                SEQ = MethodHandles.lookup().findVarHandle(LoopList.class, "seq", int.class);
                SIZE = MethodHandles.lookup().findVarHandle(LoopList.class, "size", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Thread owner;
        private Task head;
        private int size;
        private int seq;
        volatile boolean finishedElsewhere; // a task of this list was finished on another thread

        private LoopList(Thread owner) {
            this.owner = owner;
        }

        void add(Task t) {
            if (t.liveOn != null) {
                return; // registered twice: linking it again would make a loop
            }
            if (finishedElsewhere) {
                finishedElsewhere = false;
                unlinkDone();
            }
            int s = begin();
            Task h = head;
            t.liveNext = h;
            if (h != null) {
                h.livePrev = t;
            }
            head = t;
            t.liveOn = this;
            SIZE.setOpaque(this, size + 1);
            end(s);
        }

        void remove(Task t) {
            if (t.liveOn != this) {
                return; // unlinked already
            }
            int s = begin();
            Task prev = t.livePrev;
            Task next = t.liveNext;
            if (prev == null) {
                head = next;
            } else {
                prev.liveNext = next;
            }
            if (next != null) {
                next.livePrev = prev;
            }
            t.liveNext = null; // a finished task in the ring must not hold older ones
            t.livePrev = null;
            t.liveOn = null;
            SIZE.setOpaque(this, size - 1);
            end(s);
        }

        private void unlinkDone() {
            for (Task t = head; t != null; ) {
                Task older = t.liveNext;
                if (t.state == TaskState.DONE) {
                    remove(t);
                }
                t = older;
            }
        }

        /** Plain stores after it may not move before it: the reader sees the odd count first. */
        private int begin() {
            int s = seq;
            SEQ.setOpaque(this, s + 1);
            VarHandle.storeStoreFence();
            return s;
        }

        private void end(int s) {
            SEQ.setRelease(this, s + 2);
        }

        int size() {
            return (int) SIZE.getOpaque(this);
        }

        void copyInto(List<Task> out) {
            int start = out.size();
            for (int attempt = 0; ; attempt++) {
                int before = (int) SEQ.getAcquire(this);
                boolean last = attempt >= 1_000; // a loop that writes without pause: read as it is
                if ((before & 1) == 0 || last) {
                    int limit = size() + 1_000; // a read mid-write may run through tasks unlinked meanwhile
                    for (Task t = head; t != null && limit-- > 0; t = t.liveNext) {
                        out.add(t);
                    }
                    VarHandle.loadLoadFence();
                    if (last || (int) SEQ.getAcquire(this) == before) {
                        return;
                    }
                    out.subList(start, out.size()).clear();
                }
                Thread.onSpinWait();
            }
        }
    }
}
