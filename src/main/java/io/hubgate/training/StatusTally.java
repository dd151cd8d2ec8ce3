package io.hubgate.training;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Responses of a training phase by status class (1xx to 5xx), and connections that failed or broke off. */
final class StatusTally {

    private final AtomicLongArray byClass = new AtomicLongArray(6);
    private final AtomicLong failures = new AtomicLong();

    void response(int status) {
        byClass.incrementAndGet(Math.min(5, Math.max(0, status / 100)));
    }

    void failure() {
        failures.incrementAndGet();
    }

    long responses(int statusClass) {
        return byClass.get(statusClass);
    }

    long responses() {
        long sum = 0;
        for (int i = 0; i < byClass.length(); i++) {
            sum += byClass.get(i);
        }
        return sum;
    }

    long failures() {
        return failures.get();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder().append(responses()).append(" responses (");
        String sep = "";
        for (int c = 1; c <= 5; c++) {
            if (byClass.get(c) > 0) {
                b.append(sep).append(c).append("xx ").append(byClass.get(c));
                sep = ", ";
            }
        }
        return b.append("), ").append(failures()).append(" failed connections").toString();
    }
}
