package io.authrelay.server.scheduler;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A one-thread timer for work that comes and goes (event streams, relayed requests): its thread starts with the first
 * task and ends after a minute without any, so an idle daemon keeps no thread or wake-up for it; a cancelled task
 * leaves the queue at once.
 */
public final class OnDemandTimer {
    private OnDemandTimer() {}

    public static ScheduledThreadPoolExecutor create(String threadName) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        timer.setKeepAliveTime(1, TimeUnit.MINUTES);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
