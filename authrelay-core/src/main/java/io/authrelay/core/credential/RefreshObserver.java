package io.authrelay.core.credential;

/** What the refresh engine reports for metrics; the Micrometer adapter implements it. */
public interface RefreshObserver {
    /** @param outcome ok, lost_race, rejected or transient */
    void refreshed(String outcome);
}
