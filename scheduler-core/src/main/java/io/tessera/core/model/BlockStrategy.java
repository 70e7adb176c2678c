package io.tessera.core.model;

/** What an executor does with a trigger while the same job already runs there. */
public enum BlockStrategy {
    /** Queue it behind the running one. */
    SERIAL,
    /** Refuse the new trigger. */
    DISCARD_NEW,
    /** Stop the running one and start the new one. */
    REPLACE_OLD
}
