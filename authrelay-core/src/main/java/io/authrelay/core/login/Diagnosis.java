package io.authrelay.core.login;

import io.authrelay.core.timeline.TimelineEvent;
import java.util.List;

/** The answer to "why did my login not finish?": the state, one sentence on what is wrong, what to do, and the timeline. */
public record Diagnosis(String subject, String state, String summary, String advice, List<TimelineEvent> timeline) {}
