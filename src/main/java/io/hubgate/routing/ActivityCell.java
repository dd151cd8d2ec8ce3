package io.hubgate.routing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The {@code last_activity} timestamp of one route key, shared by every {@link Route} object that ever
 * stands at that key: a route re-POSTed by the hub keeps receiving the activity of websockets opened
 * before the re-POST (otherwise an active server would look idle to the culler).
 *
 * <p>Written on the data plane's hot path: a plain volatile read, and a compare-and-set only when the
 * millisecond changes. Touches and merges from several threads never move the value backwards (a plain
 * write could overwrite a newer value written between its read and its write).
 */
public final class ActivityCell {

    private static final VarHandle MILLIS;

    static {
        try {
            MILLIS = MethodHandles.lookup().findVarHandle(ActivityCell.class, "millis", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through MILLIS
    private volatile long millis;

    public ActivityCell(long initialMillis) {
        this.millis = initialMillis;
    }

    public long millis() {
        return millis;
    }

    /** Records activity at {@code nowMillis}; returns true if the stored value moved forward. */
    public boolean touch(long nowMillis) {
        long current = millis;
        while (nowMillis > current) {
            if (MILLIS.compareAndSet(this, current, nowMillis)) {
                return true;
            }
            current = millis;
        }
        return false;
    }

    /** Sets the value unconditionally (a POST resets activity to "now", even backwards in tests). */
    public void set(long millis) {
        this.millis = millis;
    }

    /** Moves the value forward only (merging activity seen by another instance or a restored snapshot). */
    public void mergeMax(long otherMillis) {
        long current;
        do {
            current = millis;
            if (otherMillis <= current) {
                return;
            }
        } while (!MILLIS.compareAndSet(this, current, otherMillis));
    }
}
