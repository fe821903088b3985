package dev.etcdvm.operator.reconciler.events;

/** An Event a pass publishes together with its status (a membership change, a refusal). */
public record Announcement(EventReason reason, String message) {
}
