package io.tessera.admin.store;

/**
 * A stored job this admin cannot turn into a job definition (a column holds what this version does
 * not read). Lists and the engine skip it; a person can see it and delete it.
 *
 * @param reason what is wrong with the row, in words
 */
public record UnreadableJob(long id, String name, String reason) {
}
