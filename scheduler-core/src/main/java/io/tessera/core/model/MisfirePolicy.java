package io.tessera.core.model;

/** What the engine does with fire times that passed while nobody could fire them. */
public enum MisfirePolicy {
    /** Forget them; fire again at the next regular time. */
    SKIP,
    /** Fire once now for all of them together. */
    FIRE_ONCE,
    /** Fire each of them, oldest first, up to a bound. */
    CATCH_UP
}
